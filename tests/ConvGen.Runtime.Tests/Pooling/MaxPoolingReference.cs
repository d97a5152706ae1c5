using System;

namespace ConvGen.Runtime.Tests.Pooling
{
    /// <summary>Max pooling straight from the definition, window by window, and the bit-exact comparison the kernel must pass.</summary>
    internal static class MaxPoolingReference
    {
        /// <summary>
        /// Each window's maximum over the elements inside the input, in float64: NaN when any element is NaN, and +0 above
        /// −0 (PyTorch's max, spelled out without <see cref="MathF.Max(float, float)"/>).
        /// </summary>
        public static float[] Forward(float[] input, int channels, int inHeight, int inWidth, int outHeight, int outWidth, int size, int stride, int padding)
        {
            var output = new float[channels * outHeight * outWidth];
            for (var c = 0; c < channels; c++)
            for (var oy = 0; oy < outHeight; oy++)
            for (var ox = 0; ox < outWidth; ox++)
            {
                var best = double.NegativeInfinity;
                var nan = false;
                for (var ky = 0; ky < size; ky++)
                for (var kx = 0; kx < size; kx++)
                {
                    var iy = (oy * stride) - padding + ky;
                    var ix = (ox * stride) - padding + kx;
                    if (iy < 0 || iy >= inHeight || ix < 0 || ix >= inWidth) continue;
                    double v = input[(((c * inHeight) + iy) * inWidth) + ix];
                    if (double.IsNaN(v)) nan = true;
                    else if (v > best || (v == 0 && best == 0 && !double.IsNegative(v))) best = v;
                }

                output[(((c * outHeight) + oy) * outWidth) + ox] = nan ? float.NaN : (float)best;
            }

            return output;
        }

        /// <summary>
        /// Max pooling backward as PyTorch's CPU kernel scans it: per window, in float64, an element wins when it is above
        /// the best so far (which starts at −∞ on the window's first element) or is NaN — so the first maximum, or the last
        /// NaN; then each output's gradient is added (in float32) to its winner, output by output, starting from
        /// <paramref name="inputGradient"/>.
        /// </summary>
        public static float[] Backward(float[] input, float[] outputGradient, float[] inputGradient, int channels, int inHeight, int inWidth, int outHeight, int outWidth, int size, int stride, int padding)
        {
            var result = (float[])inputGradient.Clone();
            for (var c = 0; c < channels; c++)
            for (var oy = 0; oy < outHeight; oy++)
            for (var ox = 0; ox < outWidth; ox++)
            {
                var best = double.NegativeInfinity;
                var winner = -1;
                for (var ky = 0; ky < size; ky++)
                for (var kx = 0; kx < size; kx++)
                {
                    var iy = (oy * stride) - padding + ky;
                    var ix = (ox * stride) - padding + kx;
                    if (iy < 0 || iy >= inHeight || ix < 0 || ix >= inWidth) continue;
                    var at = (((c * inHeight) + iy) * inWidth) + ix;
                    double v = input[at];
                    if (winner < 0 || v > best || double.IsNaN(v))
                    {
                        best = v;
                        winner = at;
                    }
                }

                result[winner] += outputGradient[(((c * outHeight) + oy) * outWidth) + ox];
            }

            return result;
        }

        /// <summary>PyTorch's output count along one axis, floor or ceil mode (a ceil-mode window must start inside the input or the left padding).</summary>
        public static int OutSize(int inSize, int size, int stride, int padding, bool ceil)
        {
            var span = inSize + (2 * padding) - size;
            var count = (ceil ? (span + stride - 1) / stride : span / stride) + 1;
            return ceil && (count - 1) * stride >= inSize + padding ? count - 1 : count;
        }

        /// <summary>Every output has the expected bits (any NaN matches any NaN).</summary>
        public static void AssertIdentical(float[] expected, ReadOnlySpan<float> actual, string what)
        {
            Assert.Equal(expected.Length, actual.Length);
            for (var i = 0; i < expected.Length; i++)
            {
                var same = float.IsNaN(expected[i])
                    ? float.IsNaN(actual[i])
                    : BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]);
                Assert.True(same, $"{what}: output[{i}] = {Show(actual[i])}, expected {Show(expected[i])}");
            }
        }

        private static string Show(float value) =>
            value == 0 && float.IsNegative(value) ? "-0" : value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
    }
}
