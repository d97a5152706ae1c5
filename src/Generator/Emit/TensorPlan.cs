using System.Collections.Generic;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Emit
{
    /// <summary>How a tensor starts its life.</summary>
    internal enum TensorInit
    {
        /// <summary>PyTorch's default for conv/linear: U(−1/√fan_in, 1/√fan_in).</summary>
        FanInUniform,
        Zeros,
        Ones,
    }

    /// <summary>One named tensor in the flat parameter (or buffer) storage.</summary>
    internal sealed record TensorPlan
    {
        public TensorPlan(string name, string constant, IEnumerable<int> shape, int offset, TensorInit init, int fanIn)
        {
            Name = name;
            Constant = constant;
            Shape = new EquatableArray<int>(shape);
            Offset = offset;
            Init = init;
            FanIn = fanIn;
        }

        public string Name { get; }

        /// <summary>The name of the generated offset constant, e.g. <c>Conv1Weight</c>.</summary>
        public string Constant { get; }

        /// <summary>PyTorch's shape of the tensor; compared by value, like the rest of the record.</summary>
        public EquatableArray<int> Shape { get; }

        public int Offset { get; }

        public TensorInit Init { get; }

        public int FanIn { get; }

        public int Length
        {
            get
            {
                var length = 1;
                foreach (var dimension in Shape)
                {
                    length *= dimension;
                }

                return length;
            }
        }
    }
}
