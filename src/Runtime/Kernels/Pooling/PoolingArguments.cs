using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace ConvGen.Kernels.Pooling
{
    /// <summary>The argument checks of the pooling kernels: a window geometry every output of which covers some input.</summary>
    internal static class PoolingArguments
    {
        /// <summary>
        /// Checks the geometry and the spans, and returns how many channels they hold: the input holds whole
        /// <c>inHeight × inWidth</c> planes, the output as many <c>outHeight × outWidth</c> planes.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">A size or stride is not positive, the padding is negative or not smaller than the window, or an output's window lies wholly in the padding or past the input.</exception>
        /// <exception cref="ArgumentException">A span's length does not fit the planes.</exception>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static int Channels(int inputLength, int outputLength, int inHeight, int inWidth, int outHeight, int outWidth, int size, int stride, int padding)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inHeight);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inWidth);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outHeight);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outWidth);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
            if (padding < 0 || padding >= size)
            {
                ThrowPadding(size, padding);
            }

            LastWindowStartsInside(outHeight, inHeight, stride, padding, nameof(outHeight), "rows");
            LastWindowStartsInside(outWidth, inWidth, stride, padding, nameof(outWidth), "columns");

            var plane = inHeight * inWidth;
            if (inputLength % plane != 0)
            {
                ThrowInput(inputLength, inHeight, inWidth);
            }

            var channels = inputLength / plane;
            var expected = channels * outHeight * outWidth;
            if (outputLength != expected)
            {
                ThrowOutput(outputLength, channels, outHeight, outWidth, expected);
            }

            return channels;
        }

        private static void LastWindowStartsInside(int outSize, int inSize, int stride, int padding, string name, string axis)
        {
            var start = ((long)(outSize - 1) * stride) - padding;
            if (start >= inSize)
            {
                ThrowLastWindow(outSize, inSize, stride, padding, start, name, axis);
            }
        }

        // The messages are built apart from the checks: Channels is compiled fully optimized on its first call, and the
        // formatting would be compiled with it.

        [DoesNotReturn]
        private static void ThrowPadding(int size, int padding) =>
            throw new ArgumentOutOfRangeException(nameof(padding), padding,
                $"The padding must be at least 0 and smaller than the {size}-wide window, or the first window holds no input.");

        [DoesNotReturn]
        private static void ThrowInput(int inputLength, int inHeight, int inWidth) =>
            throw new ArgumentException($"The input span holds {inputLength} floats, not a whole number of {inHeight}×{inWidth} planes.", "input");

        [DoesNotReturn]
        private static void ThrowOutput(int outputLength, int channels, int outHeight, int outWidth, int expected) =>
            throw new ArgumentException($"The output span holds {outputLength} floats; {channels} channels of {outHeight}×{outWidth} need {expected}.", "output");

        [DoesNotReturn]
        private static void ThrowLastWindow(int outSize, int inSize, int stride, int padding, long start, string name, string axis) =>
            throw new ArgumentOutOfRangeException(name, outSize,
                $"{outSize} outputs with stride {stride} and padding {padding} put the last window at {start}, past the input's {inSize} {axis}.");
    }
}
