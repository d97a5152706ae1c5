using System;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvGen.Kernels
{
    /// <summary>
    /// Chooses the instruction set once for the process: the best the CPU has, unless the environment variable
    /// <c>CONVGEN_SIMD</c> says <c>scalar</c>, <c>avx2</c> or <c>avx512</c>. Tests set <see cref="Level"/> to run every path.
    /// Also tells whether the CPU's 512-bit FMAs are full width or double-pumped (<see cref="Avx512DoublePumped"/>), which
    /// kernels whose 8-float (AVX2) form is faster on such a CPU read to choose their width at the AVX-512 level.
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

        /// <summary>
        /// Whether this CPU is taken to run a 512-bit FMA as two 256-bit halves ("double-pumped"), so that AVX-512 gives
        /// no more FMA throughput than AVX2: then kernels that measured faster with 8-float vectors use them at the
        /// <see cref="SimdLevel.Avx512"/> level too (see <c>DirectConvolution</c>). Meaningless below that level.
        /// Starts as <see cref="DetectedAvx512DoublePumped"/>, unless the environment variable <c>CONVGEN_AVX512_WIDTH</c>
        /// says <c>full</c> (false) or <c>half</c> (true); tests set it to run both choices on any AVX-512 CPU.
        /// </summary>
        public static bool Avx512DoublePumped { get; set; } = DetectDoublePumped();

        /// <summary>
        /// What the CPU identification says about <see cref="Avx512DoublePumped"/>, deterministically (never by timing):
        /// true on AMD family 19h (vendor <c>AuthenticAMD</c>, CPUID leaf 1 family 0xF + extended family 0x0A), the
        /// Zen 3 and Zen 4 family whose only parts with AVX-512 are Zen 4, which runs each 512-bit FMA on its two 256-bit
        /// pipes; false on every other CPU.
        /// </summary>
        /// <remarks>
        /// Measured on a Zen 4 EPYC (family 19h model 11h), one core: the FMA peak of a fully optimized loop is 118 GFLOP/s
        /// with 256-bit and with 512-bit vectors alike (the header of <c>dotnet
        /// bench/ConvGen.SideBySide/bin/Release/net10.0/ConvGen.SideBySide.dll</c>). Known to be wrong: Zen 5 in laptops
        /// (family 1Ah, which also double-pumps, taken as full width here), and Intel cores with a single 512-bit FMA unit
        /// (Ice Lake, Tiger Lake and Rocket Lake clients, Xeon Bronze and Silver of the Skylake-SP and Cascade Lake lines),
        /// whose 512-bit FMA throughput is that of AVX2 too: set <c>CONVGEN_AVX512_WIDTH=half</c> there.
        /// </remarks>
        public static bool DetectedAvx512DoublePumped { get; } = IsAmdFamily19h();

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

        private static bool DetectDoublePumped() =>
            Environment.GetEnvironmentVariable("CONVGEN_AVX512_WIDTH")?.Trim().ToLowerInvariant() switch
            {
                "full" => false,
                "half" => true,
                _ => IsAmdFamily19h(), // not DetectedAvx512DoublePumped: static properties start in the order they are written
            };

        private static bool IsAmdFamily19h()
        {
            if (!X86Base.IsSupported)
            {
                return false;
            }

            // Leaf 0: the vendor string in EBX, EDX, ECX ("Auth", "enti", "cAMD"); leaf 1 EAX: family in bits 8–11,
            // plus the extended family in bits 20–27 when those read 0xF.
            var (_, vendor0, vendor2, vendor1) = X86Base.CpuId(0, 0);
            if (vendor0 != 0x68747541 || vendor1 != 0x69746E65 || vendor2 != 0x444D4163)
            {
                return false;
            }

            var signature = X86Base.CpuId(1, 0).Eax;
            var family = (signature >> 8) & 0xF;
            if (family == 0xF)
            {
                family += (signature >> 20) & 0xFF;
            }

            return family == 0x19;
        }
    }
}
