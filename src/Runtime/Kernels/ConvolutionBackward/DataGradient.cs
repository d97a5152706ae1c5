using System;
using System.Runtime.CompilerServices;
using ConvGen.Kernels.Convolution;
using ConvGen.Kernels.Winograd;

namespace ConvGen.Kernels.ConvolutionBackward
{
    /// <summary>
    /// The data gradient ∂L/∂x of a stride-1 convolution, computed as a convolution itself instead of a
    /// ∂L/∂col GEMM followed by col2im: <c>∂L/∂x = ∂L/∂y ⊛ W′</c>, where <c>W′[i, o, ky, kx] = W[o, i, kh−1−ky, kw−1−kx]</c>
    /// (the kernel turned by 180° with input and output channels swapped) and each side is padded by kernel − 1 − the
    /// forward's padding on that side. The convolution runs on <see cref="DirectConvolution"/>'s blocked micro-kernels,
    /// or for a 3×3 kernel by Winograd's F(2×2, 3×3) (<see cref="DataGradientMethod"/>).
    /// </summary>
    /// <remarks>
    /// <para>Only stride 1 with every padding at most kernel − 1 maps onto a plain convolution this way (see
    /// <see cref="Supports"/>); larger strides would need a convolution with holes in its input.</para>
    /// <para>Threading: <see cref="SetWeights"/> and <see cref="Compute"/> may run on several threads at once as long as they
    /// pass the same weights, like <see cref="DirectConvolution"/>: the flip and transpose run under a lock, only when the
    /// weights differ from the ones flipped last time, and <see cref="Compute"/> only reads them.</para>
    /// </remarks>
    public sealed class DataGradient
    {
        // The transposed convolution: exactly one of the two, as the method says.
        private readonly DirectConvolution? _direct;
        private readonly WinogradConvolution? _winograd;
        private readonly float[] _flipped;
        private readonly WeightSnapshot _flippedFrom = new();
        private readonly object _flipping = new();
        private bool _ready;

        // Per-thread buffers, grown on demand and shared by every instance on the thread: ∂L/∂y in the blocked layout,
        // and ∂L/∂x for an accumulating Compute.
        [ThreadStatic] private static float[]? t_packed;
        [ThreadStatic] private static float[]? t_gradient;

        /// <param name="shape">The forward convolution's shape: stride 1, each padding at most the kernel's size − 1.</param>
        /// <param name="method">How the convolution runs; <see cref="DataGradientMethod.Winograd"/> needs a 3×3 kernel.</param>
        /// <exception cref="ArgumentException">
        /// The shape has a stride above 1 or a padding of the kernel's size or more, or the method is Winograd and the kernel is not 3×3.
        /// </exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="method"/> is not a <see cref="DataGradientMethod"/>.</exception>
        public DataGradient(ConvolutionShape shape, DataGradientMethod method = DataGradientMethod.Direct)
        {
            ArgumentNullException.ThrowIfNull(shape);
            if (!Supports(shape))
            {
                throw new ArgumentException(
                    $"The data gradient runs as a convolution only for stride 1 and paddings below the kernel's size; this convolution has stride {shape.StrideHeight}×{shape.StrideWidth}, "
                    + $"a {shape.KernelHeight}×{shape.KernelWidth} kernel and padding (top {shape.PadTop}, left {shape.PadLeft}, bottom {shape.PadBottom}, right {shape.PadRight}).",
                    nameof(shape));
            }

            var transposed = new ConvolutionShape(
                inChannels: shape.OutChannels, inHeight: shape.OutHeight, inWidth: shape.OutWidth, outChannels: shape.InChannels,
                kernelHeight: shape.KernelHeight, kernelWidth: shape.KernelWidth,
                padTop: shape.KernelHeight - 1 - shape.PadTop, padLeft: shape.KernelWidth - 1 - shape.PadLeft,
                padBottom: shape.KernelHeight - 1 - shape.PadBottom, padRight: shape.KernelWidth - 1 - shape.PadRight);
            switch (method)
            {
                case DataGradientMethod.Direct:
                    _direct = new DirectConvolution(transposed);
                    break;
                case DataGradientMethod.Winograd when WinogradConvolution.Supports(transposed):
                    _winograd = new WinogradConvolution(transposed);
                    break;
                case DataGradientMethod.Winograd:
                    throw new ArgumentException($"The Winograd data gradient needs a 3×3 kernel; this convolution's is {shape.KernelHeight}×{shape.KernelWidth}.", nameof(method));
                default:
                    throw new ArgumentOutOfRangeException(nameof(method), method, "Not a DataGradientMethod.");
            }

            Shape = shape;
            Method = method;
            _flipped = new float[shape.WeightLength];
        }

        /// <summary>The forward convolution's shape.</summary>
        public ConvolutionShape Shape { get; }

        /// <summary>How the convolution runs.</summary>
        public DataGradientMethod Method { get; }

        /// <summary>Whether <paramref name="shape"/>'s data gradient is a plain convolution: stride 1, every padding below the kernel's size.</summary>
        public static bool Supports(ConvolutionShape shape) =>
            shape.StrideHeight == 1 && shape.StrideWidth == 1
            && shape.PadTop < shape.KernelHeight && shape.PadBottom < shape.KernelHeight
            && shape.PadLeft < shape.KernelWidth && shape.PadRight < shape.KernelWidth;

        /// <summary>
        /// Flips and transposes <paramref name="weights"/> (the forward's <c>[out, in, kh, kw]</c>) and has them packed,
        /// unless they are the weights of the last call. Returns true when it flipped them.
        /// </summary>
        /// <param name="weights">The weights, <c>[out, in, kh, kw]</c>.</param>
        /// <param name="stamp">
        /// The parameters' version the weights belong to (<see cref="Networks.ParameterWrites.Stamp"/>): a stamp equal to the
        /// last call's promises unchanged weights, which are then not compared. <see cref="Networks.ParameterWrites.Unknown"/>
        /// (the default) promises nothing: the weights are compared bit for bit with the ones packed last.
        /// </param>
        /// <exception cref="ArgumentException">The span does not hold exactly <see cref="ConvolutionShape.WeightLength"/> floats.</exception>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool SetWeights(ReadOnlySpan<float> weights, long stamp = Networks.ParameterWrites.Unknown)
        {
            ConvolutionArguments.CheckLength(weights.Length, Shape.WeightLength, nameof(weights), "weights");
            lock (_flipping)
            {
                var changed = !_flippedFrom.Matches(weights, stamp);
                if (changed)
                {
                    Flip(weights);
                    _flippedFrom.Take(weights, stamp);
                }

                // The flipped weights change exactly when the weights do.
                if (_winograd is not null)
                {
                    _winograd.SetWeights(_flipped, stamp);
                }
                else
                {
                    _direct!.SetWeights(_flipped, stamp);
                }

                _ready = true;
                return changed;
            }
        }

        /// <summary>
        /// Writes (or, with <paramref name="accumulate"/>, adds) ∂L/∂x (<c>[in, h, w]</c>) of one sample from its
        /// ∂L/∂y (<c>[out, oh, ow]</c>), with the weights of the last <see cref="SetWeights"/>. <paramref name="threads"/>
        /// is how many threads may share the output channels (see <see cref="DirectConvolution.Forward"/>); the result is
        /// bit-identical for every thread count.
        /// </summary>
        /// <exception cref="ArgumentException">A span has the wrong length.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is less than 1.</exception>
        /// <exception cref="InvalidOperationException"><see cref="SetWeights"/> has not been called.</exception>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Compute(ReadOnlySpan<float> outputGradient, Span<float> inputGradient, bool accumulate, int threads = 1)
        {
            ConvolutionArguments.CheckLength(outputGradient.Length, Shape.OutputLength, nameof(outputGradient), "output gradient");
            ConvolutionArguments.CheckLength(inputGradient.Length, Shape.InputLength, nameof(inputGradient), "input gradient");
            ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
            if (!_ready)
            {
                throw new InvalidOperationException("SetWeights must be called before the data gradient is computed.");
            }

            if (_winograd is not null)
            {
                // Accumulating, the ∂L/∂x already there is the residual the epilogue adds, in place.
                _winograd.Apply(outputGradient, default, default, accumulate ? inputGradient : default, Activation.None, inputGradient, threads);
                return;
            }

            var direct = _direct!;
            var target = inputGradient;
            if (accumulate)
            {
                target = SampleBatch.Buffer(ref t_gradient, inputGradient.Length);
            }

            if (threads == 1)
            {
                // One thread: pack and compute here, skipping Forward's per-call weight comparison (SetWeights did it).
                var packed = SampleBatch.Buffer(ref t_packed, direct.PackedInputLength);
                direct.PackInput(outputGradient, packed);
                direct.Compute(packed, default, default, Activation.None, target, 0, direct.OutputBlocks);
            }
            else
            {
                direct.Apply(outputGradient, default, default, Activation.None, target, threads);
            }

            if (accumulate)
            {
                VectorOps.Add(target, inputGradient);
            }
        }

        /// <summary>_flipped[i, o, ky, kx] = weights[o, i, kh−1−ky, kw−1−kx].</summary>
        private void Flip(ReadOnlySpan<float> weights)
        {
            var s = Shape;
            var taps = s.KernelHeight * s.KernelWidth;
            for (var o = 0; o < s.OutChannels; o++)
            {
                for (var i = 0; i < s.InChannels; i++)
                {
                    var source = weights.Slice(((o * s.InChannels) + i) * taps, taps);
                    var target = _flipped.AsSpan(((i * s.OutChannels) + o) * taps, taps);
                    for (var t = 0; t < taps; t++)
                    {
                        target[taps - 1 - t] = source[t];
                    }
                }
            }
        }
    }
}
