using System.Collections.Generic;
using ConvGen.Kernels;

namespace ConvGen.Benchmarks
{
    /// <summary>
    /// One way the kernels can run on this CPU, for the quick runs to alternate: a <see cref="SimdLevel"/> and, at the
    /// AVX-512 level, whether the kernels take the 512-bit FMAs as full width or double-pumped
    /// (<see cref="Simd.Avx512DoublePumped"/>: a double-pumped CPU runs some kernels 8 floats wide).
    /// </summary>
    internal readonly record struct KernelWidth(SimdLevel Level, bool DoublePumped)
    {
        /// <summary>Scalar, AVX2, and on an AVX-512 CPU AVX-512 taken as full width, then as double-pumped.</summary>
        public static IEnumerable<KernelWidth> All()
        {
            foreach (var level in GemmBenchmark.Levels())
            {
                if (level == SimdLevel.Avx512)
                {
                    yield return new KernelWidth(level, DoublePumped: false);
                    yield return new KernelWidth(level, DoublePumped: true);
                }
                else
                {
                    yield return new KernelWidth(level, DoublePumped: false);
                }
            }
        }

        /// <summary>Makes this the way the kernels run.</summary>
        public void Apply()
        {
            Simd.Level = Level;
            Simd.Avx512DoublePumped = DoublePumped;
        }

        public override string ToString() => Level != SimdLevel.Avx512 ? Level.ToString() : DoublePumped ? "Avx512 half" : "Avx512 full";
    }
}
