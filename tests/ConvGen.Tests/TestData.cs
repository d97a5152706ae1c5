using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConvGen.Kernels;

namespace ConvGen.Tests
{
    internal static class TestData
    {
        /// <summary>Every SIMD level this CPU supports: each test runs the scalar path and the vector paths.</summary>
        public static IEnumerable<SimdLevel> Levels() =>
            Enum.GetValues<SimdLevel>().Where(level => level <= Simd.Supported);

        public static float[] Random(int length, int seed, float scale = 1f)
        {
            var random = new Random(seed);
            return Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 2) - 1) * scale).ToArray();
        }

        /// <summary>tests/golden, found above the test's output directory.</summary>
        public static string GoldenFolder()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tests", "golden");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new DirectoryNotFoundException("tests/golden not found above " + AppContext.BaseDirectory);
        }

        /// <summary>Runs <paramref name="body"/> with <see cref="Simd.Level"/> set, restoring it after.</summary>
        public static void WithLevel(SimdLevel level, Action body)
        {
            var previous = Simd.Level;
            Simd.Level = level;
            try
            {
                body();
            }
            finally
            {
                Simd.Level = previous;
            }
        }

        /// <summary>Asserts |actual − expected| ≤ tolerance · max|expected| element-wise, naming the first element that is off.</summary>
        public static void AssertClose(ReadOnlySpan<float> actual, IReadOnlyList<double> expected, double tolerance, string what)
        {
            Assert.Equal(expected.Count, actual.Length);
            var scale = Math.Max(expected.Max(Math.Abs), 1e-6);
            for (var i = 0; i < actual.Length; i++)
            {
                var error = Math.Abs(actual[i] - expected[i]);
                Assert.True(error <= tolerance * scale, $"{what}[{i}] = {actual[i]}, expected {expected[i]} (error {error:E2} > {tolerance:E0} × {scale:G4})");
            }
        }

        /// <summary>
        /// Compares an analytic gradient with central finite differences of <paramref name="loss"/> at up to six random indices
        /// of <paramref name="values"/> (perturbed in place and restored), within 2e-3 of the largest analytic magnitude.
        /// </summary>
        public static void CheckSampled(float[] analytic, double[] values, Func<double> loss, Random random, string what)
        {
            // A small step: the reference is float64, and a bias shifts hundreds of pixels, some of them near a ReLU or max-pool kink.
            const double h = 1e-6;
            var scale = Math.Max(analytic.Max(v => Math.Abs((double)v)), 1e-3);
            var indices = Enumerable.Range(0, 6).Select(_ => random.Next(values.Length)).Distinct();
            foreach (var i in indices)
            {
                var saved = values[i];
                values[i] = saved + h;
                var plus = loss();
                values[i] = saved - h;
                var minus = loss();
                values[i] = saved;
                var numeric = (plus - minus) / (2 * h);
                var error = Math.Abs(numeric - analytic[i]);
                Assert.True(error <= 2e-3 * scale, $"{what}[{i}]: backward {analytic[i]}, finite differences {numeric} (error {error:E2}, scale {scale:G4})");
            }
        }
    }
}
