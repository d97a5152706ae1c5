using System;
using System.Runtime.CompilerServices;
using ConvGen.Kernels.Convolution;

namespace ConvGen.Kernels.ConvolutionBackward
{
    /// <summary>What the weight-gradient kernels share about a batch of samples a stride apart: its argument checks and the zero-padded input planes.</summary>
    internal static class SampleBatch
    {
        /// <summary>Checks that <paramref name="samples"/> samples of <paramref name="sampleLength"/> floats, <paramref name="stride"/> apart, fit <paramref name="length"/> floats.</summary>
        /// <exception cref="ArgumentException">The stride is shorter than a sample, or the span too short.</exception>
        public static void Check(int length, int stride, int sampleLength, int samples, string parameter, string what)
        {
            if (stride < sampleLength)
            {
                throw new ArgumentException($"The {what} stride is {stride} floats, shorter than one sample's {sampleLength}.", parameter);
            }

            if (samples > 0 && length < ((long)(samples - 1) * stride) + sampleLength)
            {
                throw new ArgumentException(
                    $"The {what} span holds {length} floats; {samples} samples {stride} floats apart need {((long)(samples - 1) * stride) + sampleLength}.", parameter);
            }
        }

        /// <summary>
        /// The checks of a weight-gradient kernel's <c>Accumulate(inputs, inputStride, outputGradients, gradientStride,
        /// samples, weightGradient, threads)</c>, naming its parameters: the sample count, the thread count, both batches
        /// and ∂L/∂W's length against <paramref name="s"/>.
        /// </summary>
        /// <exception cref="ArgumentException">A span is too short, or a stride is shorter than its sample.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="samples"/> is negative or <paramref name="threads"/> is less than 1.</exception>
        public static void CheckAccumulate(ConvolutionShape s, int inputsLength, int inputStride, int gradientsLength, int gradientStride,
            int samples, int weightGradientLength, int threads)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(samples);
            ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
            Check(inputsLength, inputStride, s.InputLength, samples, "inputs", "input");
            Check(gradientsLength, gradientStride, s.OutputLength, samples, "outputGradients", "output gradient");
            ConvolutionArguments.CheckLength(weightGradientLength, s.WeightLength, "weightGradient", "weight gradient");
        }

        /// <summary>
        /// One sample's input planes (<c>[in, h, w]</c>) into zero-padded planes <paramref name="paddedWidth"/> floats wide and
        /// <paramref name="planeLength"/> floats apart, each row starting <c>padTop</c> rows and <c>padLeft</c> columns in;
        /// everything else in <paramref name="packed"/> is zero.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void PackPadded(ConvolutionShape s, ReadOnlySpan<float> input, Span<float> packed, int paddedWidth, int planeLength)
        {
            packed.Clear();
            for (var i = 0; i < s.InChannels; i++)
            {
                for (var iy = 0; iy < s.InHeight; iy++)
                {
                    input.Slice(((i * s.InHeight) + iy) * s.InWidth, s.InWidth)
                        .CopyTo(packed.Slice((i * planeLength) + ((s.PadTop + iy) * paddedWidth) + s.PadLeft));
                }
            }
        }

        /// <summary>
        /// One sample's ∂L/∂y (<c>[out, oh, ow]</c>) into planes <paramref name="width"/> floats wide and
        /// <paramref name="planeLength"/> floats apart, row oy at oy·width; everything else in <paramref name="packed"/> is zero.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void PackGradientRows(ConvolutionShape s, ReadOnlySpan<float> gradient, Span<float> packed, int width, int planeLength)
        {
            packed.Clear();
            for (var o = 0; o < s.OutChannels; o++)
            {
                for (var oy = 0; oy < s.OutHeight; oy++)
                {
                    gradient.Slice(((o * s.OutHeight) + oy) * s.OutWidth, s.OutWidth).CopyTo(packed.Slice((o * planeLength) + (oy * width)));
                }
            }
        }

        /// <summary>The first <paramref name="length"/> floats of a per-thread buffer, grown on demand.</summary>
        public static Span<float> Buffer(ref float[]? buffer, int length)
        {
            if (buffer == null || buffer.Length < length)
            {
                buffer = GC.AllocateUninitializedArray<float>(length);
            }

            return buffer.AsSpan(0, length);
        }
    }
}
