using System;
using System.Linq;

namespace ConvGen.Onnx.Tests
{
    internal static class Tolerance
    {
        /// <summary>Every element within <paramref name="relative"/> of the largest magnitude of <paramref name="expected"/> (at least 1).</summary>
        public static void AssertClose(float[] expected, float[] actual, double relative, string what)
        {
            Assert.Equal(expected.Length, actual.Length);
            var scale = Math.Max(1.0, expected.Max(v => Math.Abs((double)v)));
            var worst = 0.0;
            var at = -1;
            for (var i = 0; i < expected.Length; i++)
            {
                var difference = Math.Abs((double)expected[i] - actual[i]);
                if (!(difference <= worst))
                {
                    worst = difference;
                    at = i;
                }
            }

            Assert.True(
                worst <= relative * scale,
                $"{what}: element {at} is {(at < 0 ? 0 : actual[at])} but ONNX Runtime gives {(at < 0 ? 0 : expected[at])} (difference {worst:G3}, allowed {relative * scale:G3}).");
        }
    }
}
