using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Emit
{
    /// <summary>
    /// Where ∂L/∂(each value) lives during backward and how every backward step contributes to it.
    /// <list type="bullet">
    /// <item>A Concat input that writes into the Concat's slice has its gradient in the Concat's gradient slice, so Concat costs nothing backward.</item>
    /// <item>A value whose only reader is element-wise (activation, softmax, dropout, Add) or a Flatten shares that reader's
    /// output gradient: the reader works in place, as a chain always did.</item>
    /// <item>Every other value's gradient is a region of its own. Its readers run backward in reverse declaration order:
    /// the first writes, the rest add; when the first contribution covers only part of the region (a Concat input's other
    /// reader running before the Concat's readers), the region is cleared first and every contribution adds.</item>
    /// <item>Regions whose lifetimes (first contribution to last read, in backward order) do not overlap share a buffer,
    /// so a chain needs two, like the old ∂L/∂y / ∂L/∂x pair.</item>
    /// </list>
    /// </summary>
    internal sealed class GradientLayout
    {
        private readonly NetworkPlan _plan;
        private readonly Dictionary<string, Region> _regionOf = new(StringComparer.Ordinal);
        private readonly Dictionary<string, ValueView> _views = new(StringComparer.Ordinal);
        private readonly List<Region> _regions = new();

        private GradientLayout(NetworkPlan plan) => _plan = plan;

        /// <summary>The gradient buffers: each holds the regions of values whose lifetimes do not overlap.</summary>
        public List<(string Field, int Length, string Comment)> Buffers { get; } = new();

        /// <summary>∂L/∂(network output): where Backward and TrainStep put the loss gradient.</summary>
        public ValueView Output { get; private set; } = null!;

        /// <summary>∂L/∂(network input), complete after the last backward step when it was asked for.</summary>
        public ValueView Input { get; private set; } = null!;

        public static GradientLayout Create(NetworkPlan plan, ReservedNames names)
        {
            var layout = new GradientLayout(plan);
            var count = plan.Layers.Count;
            var output = count == 0 ? LayerModel.NetworkInput : plan.Layers[count - 1].Layer.Name;

            // Backward position of layer i is count − 1 − i; the loss gradient arrives at −1, ∂L/∂input leaves at count.
            layout.MarkLive(output);
            var outputRegion = layout.RegionOf(output);
            outputRegion.Touch(-1);
            outputRegion.Written = true;
            layout.RegionOf(LayerModel.NetworkInput).Touch(count);
            for (var i = count - 1; i >= 0; i--)
            {
                var lp = plan.Layers[i];
                if (!lp.HasBackward)
                {
                    continue;
                }

                var position = count - 1 - i;
                layout.RegionOf(lp.Layer.Name).Touch(position);
                for (var k = 0; k < lp.Layer.Inputs.Count; k++)
                {
                    lp.InputGradients.Add(layout.Contribution(lp, k, position));
                }
            }

            layout.AssignBuffers(names);
            foreach (var lp in plan.Layers.Where(l => l.HasBackward))
            {
                lp.OutputGradient = layout.Resolve(layout.Symbolic(lp.Layer.Name));
                for (var k = 0; k < lp.InputGradients.Count; k++)
                {
                    lp.InputGradients[k] = lp.InputGradients[k] with { View = layout.Resolve(lp.InputGradients[k].View) };
                }

                for (var k = 0; k < lp.ClearBeforeBackward.Count; k++)
                {
                    lp.ClearBeforeBackward[k] = layout.Resolve(lp.ClearBeforeBackward[k]);
                }
            }

            layout.Output = layout.Resolve(layout.Symbolic(output));
            layout.Input = layout.Resolve(layout.Symbolic(LayerModel.NetworkInput));
            return layout;
        }

        /// <summary>How layer <paramref name="lp"/>'s backward step at <paramref name="position"/> contributes to ∂L/∂(its input <paramref name="k"/>).</summary>
        private InputGradient Contribution(LayerPlan lp, int k, int position)
        {
            var value = lp.Layer.Inputs[k];
            var region = RegionOf(value);
            region.Touch(position);
            var view = Symbolic(value);
            GradientFlow flow;
            if (AliasReader(value) is var (reader, slot) && reader == lp && slot == k)
            {
                flow = GradientFlow.InPlace;
            }
            else if (lp.Layer is ConcatLayer && lp.WritesInPlace[k])
            {
                flow = GradientFlow.Shared;
            }
            else if (region.Written)
            {
                flow = GradientFlow.Accumulate;
            }
            else if (view.IsWhole && view.Length == region.Length)
            {
                flow = GradientFlow.Write;
                region.Written = true;
            }
            else
            {
                // A part of the region is the first to get a contribution: clear it all, then everyone adds.
                lp.ClearBeforeBackward.Add(ValueView.Whole(region.Root, region.Length));
                flow = GradientFlow.Accumulate;
                region.Written = true;
            }

            return new InputGradient(value, view, flow, value == LayerModel.NetworkInput);
        }

        /// <summary>Marks the layers the output depends on: only they run backward (a layer nobody reads has zero gradients).</summary>
        private void MarkLive(string value)
        {
            if (_plan.Producer(value) is { HasBackward: false } lp)
            {
                lp.HasBackward = true;
                foreach (var input in lp.Layer.Inputs)
                {
                    MarkLive(input);
                }
            }
        }

        /// <summary>
        /// The reader whose output gradient <paramref name="value"/>'s gradient shares, if any: the value's only read edge,
        /// from a Flatten (the identity), an element-wise layer, or the first such input of an Add. An element-wise step
        /// transforms the region in place, so it must not host Concat slices that other readers could add to first.
        /// </summary>
        private (LayerPlan Reader, int Slot)? AliasReader(string value)
        {
            var edges = _plan.Readers[value];
            if (edges.Count != 1 || !edges[0].Reader.HasBackward)
            {
                return null;
            }

            var (reader, slot) = edges[0];
            var transforms = reader.Layer is ActivationLayer or SoftmaxLayer or DropoutLayer or AddLayer { Activation: not Activation.None };
            if (transforms && HostsSlices(value))
            {
                return null;
            }

            switch (reader.Layer)
            {
                case FlattenLayer or ActivationLayer or SoftmaxLayer or DropoutLayer:
                    return (reader, slot);
                case AddLayer add:
                    var first = Enumerable.Range(0, add.Inputs.Count).First(k => _plan.Readers[add.Inputs[k]].Count == 1 && !(transforms && HostsSlices(add.Inputs[k])));
                    return first == slot ? (reader, slot) : null;
                default:
                    return null;
            }
        }

        /// <summary>True when other values' gradients may be slices of this one's (it is a Concat, or a Flatten of one).</summary>
        private bool HostsSlices(string value) => _plan.Producer(value)?.Layer switch
        {
            ConcatLayer => true,
            FlattenLayer flatten => HostsSlices(flatten.Input),
            _ => false,
        };

        /// <summary>The region <paramref name="value"/>'s gradient lies in.</summary>
        private Region RegionOf(string value)
        {
            Symbolic(value);
            return _regionOf[value];
        }

        /// <summary>The value's gradient view, with its region's root name standing in for the buffer field.</summary>
        private ValueView Symbolic(string value)
        {
            if (_views.TryGetValue(value, out var known))
            {
                return known;
            }

            ValueView view;
            Region region;
            var length = _plan.Length(value);
            if (_plan.Placement(value) is var (concat, offset))
            {
                view = Symbolic(concat.Layer.Name).Slice(offset, length);
                region = _regionOf[concat.Layer.Name];
            }
            else if (AliasReader(value) is var (reader, _))
            {
                view = Symbolic(reader.Layer.Name);
                region = _regionOf[reader.Layer.Name];
            }
            else
            {
                region = new Region(value, length);
                _regions.Add(region);
                view = ValueView.Whole(region.Root, length);
            }

            region.Values.Add(value);
            _views[value] = view;
            _regionOf[value] = region;
            return view;
        }

        /// <summary>Greedy interval colouring: each region, in order of first use, takes the first buffer free by then.</summary>
        private void AssignBuffers(ReservedNames names)
        {
            var ends = new List<int>();
            foreach (var region in _regions.OrderBy(r => r.First))
            {
                var buffer = ends.FindIndex(end => end < region.First);
                if (buffer < 0)
                {
                    buffer = Buffers.Count;
                    Buffers.Add((names.Claim("_gradient" + Literals.Int(buffer)), 0, string.Empty));
                    ends.Add(0);
                }

                var (field, length, comment) = Buffers[buffer];
                Buffers[buffer] = (field, Math.Max(length, region.Length), comment.Length == 0 ? "∂L/∂" + region.Root : comment + ", ∂L/∂" + region.Root);
                ends[buffer] = region.Last;
                region.Field = field;
            }
        }

        private ValueView Resolve(ValueView symbolic) =>
            symbolic with { Field = _regions.First(r => r.Root == symbolic.Field).Field };

        /// <summary>A gradient region of its own: a root value and the values whose gradients are its slices or aliases.</summary>
        private sealed class Region
        {
            public Region(string root, int length)
            {
                Root = root;
                Length = length;
            }

            public string Root { get; }

            public int Length { get; }

            public List<string> Values { get; } = new();

            /// <summary>The first and last backward positions that touch the region.</summary>
            public int First { get; private set; } = int.MaxValue;

            public int Last { get; private set; } = int.MinValue;

            /// <summary>True once some contribution has been written (later ones add).</summary>
            public bool Written { get; set; }

            public string Field { get; set; } = string.Empty;

            public void Touch(int position)
            {
                First = Math.Min(First, position);
                Last = Math.Max(Last, position);
            }
        }
    }
}
