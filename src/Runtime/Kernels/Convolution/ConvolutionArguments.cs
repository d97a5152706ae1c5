using System;

namespace ConvGen.Kernels.Convolution
{
    /// <summary>The argument checks the convolution kernels (direct, Winograd, data gradient) share, with one wording.</summary>
    internal static class ConvolutionArguments
    {
        /// <exception cref="ArgumentException"><paramref name="actual"/> is not <paramref name="expected"/>.</exception>
        public static void CheckLength(int actual, int expected, string parameter, string what)
        {
            if (actual != expected)
            {
                throw new ArgumentException($"The {what} span holds {actual} floats; this convolution needs {expected}.", parameter);
            }
        }

        /// <summary>The epilogue of a forward: the output's length, a scale and a shift per output channel (or none), an activation the kernels apply.</summary>
        /// <exception cref="ArgumentException">A span has the wrong length, or the activation is not element-wise.</exception>
        public static void CheckEpilogue(ConvolutionShape shape, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, Activation activation, int outputLength)
        {
            CheckLength(outputLength, shape.OutputLength, "output", "output");
            if (!scale.IsEmpty) CheckLength(scale.Length, shape.OutChannels, nameof(scale), "scale (one per output channel, or none)");
            if (!shift.IsEmpty) CheckLength(shift.Length, shape.OutChannels, nameof(shift), "shift (one per output channel, or none)");
            if (activation is not (Activation.None or Activation.ReLU or Activation.ReLU6 or Activation.Tanh or Activation.Sigmoid))
            {
                throw new ArgumentException($"A convolution cannot end in {activation}; it takes None, ReLU, ReLU6, Tanh or Sigmoid.", nameof(activation));
            }
        }

        /// <summary>
        /// A residual fused into the epilogue: none (empty), or laid out like the output, and either the output itself
        /// (each element read just before its position is written) or apart from it.
        /// </summary>
        /// <exception cref="ArgumentException">The residual has the wrong length, or overlaps the output without being it.</exception>
        public static void CheckResidual(ConvolutionShape shape, ReadOnlySpan<float> residual, ReadOnlySpan<float> output)
        {
            if (residual.IsEmpty)
            {
                return;
            }

            CheckLength(residual.Length, shape.OutputLength, nameof(residual), "residual (laid out like the output, or none)");
            if (residual.Overlaps(output, out var offset) && offset != 0)
            {
                throw new ArgumentException(
                    $"The residual overlaps the output {Math.Abs(offset)} floats apart; it must be the output itself or lie apart from it.", nameof(residual));
            }
        }
    }
}
