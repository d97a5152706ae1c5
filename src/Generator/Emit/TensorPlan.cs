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
    /// <param name="Constant">The name of the generated offset constant, e.g. <c>Conv1Weight</c>.</param>
    internal sealed record TensorPlan(string Name, string Constant, int[] Shape, int Offset, TensorInit Init, int FanIn)
    {
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
