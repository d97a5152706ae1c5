using System.Collections.Generic;
using System.Linq;
using ConvGen.Generator.Emit.Layers;

namespace ConvGen.Generator.Emit.Network
{
    /// <summary>Every distinct step method of the network (training and inference forward, both backward forms), numbered from 0, and which of them split samples.</summary>
    internal sealed class StepTable
    {
        public StepTable(NetworkPlan plan)
        {
            foreach (var lp in plan.Layers)
            {
                var emitter = LayerEmitter.For(lp.Layer);
                var backward = lp.HasBackward ? emitter.Backward(lp, false).Concat(emitter.Backward(lp, true)) : Enumerable.Empty<Step>();
                foreach (var step in emitter.Forward(lp, true).Concat(emitter.Forward(lp, false)).Concat(backward).Concat(emitter.Parts(lp)))
                {
                    if (!Methods.Contains(step.Method))
                    {
                        Methods.Add(step.Method);
                        Comments.Add(step.Comment);
                        if (step.Split is not null)
                        {
                            Splits.Add(step.Method);
                        }
                    }
                }
            }
        }

        public List<string> Methods { get; } = new();

        /// <summary>Each method's comment at its call (the first, when several calls run it), aligned with <see cref="Methods"/>.</summary>
        public List<string> Comments { get; } = new();

        /// <summary>The methods that take a part of each sample too (<see cref="Step.Split"/>, and the part steps of <see cref="LayerEmitter.Parts"/>).</summary>
        public HashSet<string> Splits { get; } = new();
    }
}
