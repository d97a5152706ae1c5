using System;

namespace ConvGen.SideBySide
{
    /// <summary>
    /// Whether a competitor computed the same thing as ConvGen: every element within 1e-3 of the largest reference
    /// magnitude (at least 1) — float32 sums taken in another order, not a different result. bench_torch.py uses the same rule.
    /// </summary>
    internal static class Agreement
    {
        public static double MaxDifference(ReadOnlySpan<float> got, ReadOnlySpan<float> expected)
        {
            if (got.Length != expected.Length)
            {
                return double.PositiveInfinity;
            }

            var max = 0.0;
            for (var i = 0; i < got.Length; i++)
            {
                max = Math.Max(max, Math.Abs((double)got[i] - expected[i]));
            }

            return max;
        }

        public static bool Agrees(ReadOnlySpan<float> got, ReadOnlySpan<float> expected)
        {
            var scale = 1.0;
            foreach (var value in expected)
            {
                scale = Math.Max(scale, Math.Abs(value));
            }

            return MaxDifference(got, expected) <= 1e-3 * scale;
        }
    }
}
