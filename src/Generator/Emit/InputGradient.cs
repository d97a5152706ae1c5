namespace ConvGen.Generator.Emit
{
    /// <summary>How a layer's backward step delivers ∂L/∂(one of its inputs).</summary>
    internal enum GradientFlow
    {
        /// <summary>The first contribution to that gradient: overwrite it.</summary>
        Write,

        /// <summary>Another reader already contributed (or the buffer was cleared): add to it.</summary>
        Accumulate,

        /// <summary>The input's gradient is the output's gradient's memory: an element-wise step works in place, an identity does nothing.</summary>
        InPlace,

        /// <summary>A Concat input that wrote straight into its channel slice: its gradient already is the Concat's slice.</summary>
        Shared,
    }

    /// <summary>∂L/∂(one input of a layer): where it lives and how this layer's backward step contributes to it.</summary>
    /// <param name="Value">The input's name (a layer name, or "input").</param>
    /// <param name="IsNetworkInput">True for the network input, whose gradient is only computed on request.</param>
    internal sealed record InputGradient(string Value, ValueView View, GradientFlow Flow, bool IsNetworkInput)
    {
        /// <summary>True when this step has work to do for this input (it neither works in place nor shares the Concat's slice).</summary>
        public bool Transfers => Flow is GradientFlow.Write or GradientFlow.Accumulate;

        public bool Accumulates => Flow == GradientFlow.Accumulate;
    }
}
