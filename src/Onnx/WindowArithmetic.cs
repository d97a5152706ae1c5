using System;

namespace ConvGen.Onnx
{
    /// <summary>Output sizes of convolution and pooling windows, as PyTorch and ConvGen compute them.</summary>
    internal static class WindowArithmetic
    {
        /// <summary>
        /// floor((n + before + after − extent)/stride) + 1, or with ceil instead of floor where the last window must still start
        /// inside the input or its leading padding (PyTorch's ceil_mode). Zero or less when the window does not fit.
        /// </summary>
        public static long Output(long size, long before, long after, long extent, long stride, bool ceilMode)
        {
            var span = size + before + after - extent;
            if (span < 0)
            {
                return 0;
            }

            var steps = ceilMode ? (span + stride - 1) / stride : span / stride;
            if (ceilMode && steps * stride >= size + before)
            {
                steps--;
            }

            return steps + 1;
        }

        /// <summary>ConvGen's <c>PaddingMode.Same</c> on one axis: output ⌈n/stride⌉, the odd padding pixel after.</summary>
        public static (int Before, int After) Same(int size, int extent, int stride)
        {
            var output = (size + stride - 1) / stride;
            var total = Math.Max(((output - 1) * stride) + extent - size, 0);
            return (total / 2, total - (total / 2));
        }

        /// <summary>ConvGen's Same padding of a convolution reading an input of <paramref name="height"/> × <paramref name="width"/>.</summary>
        public static Padding2D Same(ConvDescription conv, int height, int width)
        {
            var (top, bottom) = Same(height, (conv.Dilation * (conv.KernelHeight - 1)) + 1, conv.StrideHeight);
            var (left, right) = Same(width, (conv.Dilation * (conv.KernelWidth - 1)) + 1, conv.StrideWidth);
            return new Padding2D(top, left, bottom, right);
        }
    }
}
