using System;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvGen.Kernels
{
    /// <summary>
    /// Chooses the instruction set once for the process: the best the CPU has, unless the environment variable
    /// <c>CONVGEN_SIMD</c> says <c>scalar</c>, <c>avx2</c> or <c>avx512</c>. Tests set <see cref="Level"/> to run every path.
    /// </summary>
    public static class Simd
    {
        private static SimdLevel _level = Detect();

        /// <summary>The best level this CPU supports.</summary>
        public static SimdLevel Supported { get; } = Best();

        /// <summary>The level kernels use now. Setting a level the CPU lacks throws <see cref="PlatformNotSupportedException"/>.</summary>
        public static SimdLevel Level
        {
            get => _level;
            set
            {
                if (value > Supported)
                {
                    throw new PlatformNotSupportedException($"This CPU supports SIMD up to {Supported}, not {value}.");
                }

                _level = value;
            }
        }

        /// <summary>True when the AVX2 (or better) path runs.</summary>
        public static bool IsVectorized => _level != SimdLevel.Scalar;

        private static SimdLevel Best()
        {
            if (Avx512F.IsSupported && Vector512.IsHardwareAccelerated && Fma.IsSupported)
            {
                return SimdLevel.Avx512;
            }

            return Avx2.IsSupported && Fma.IsSupported ? SimdLevel.Avx2 : SimdLevel.Scalar;
        }

        private static SimdLevel Detect()
        {
            var best = Best();
            var requested = Environment.GetEnvironmentVariable("CONVGEN_SIMD")?.Trim().ToLowerInvariant();
            var level = requested switch
            {
                "scalar" => SimdLevel.Scalar,
                "avx2" => SimdLevel.Avx2,
                "avx512" => SimdLevel.Avx512,
                _ => best,
            };
            return level > best ? best : level;
        }
    }
}
