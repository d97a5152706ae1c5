using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using ConvGen.Kernels;

namespace ConvGen.Benchmarks
{
    /// <summary>One sample of a conv layer, direct against im2col + GEMM, on one thread.</summary>
    [Config(typeof(KernelConfig))]
    public class ConvBenchmark
    {
        private SimdLevel _saved;

        [ParamsSource(nameof(Cases))]
        public ConvCase Case { get; set; } = null!;

        [ParamsSource(nameof(Levels))]
        public SimdLevel Level { get; set; }

        public static IEnumerable<ConvCase> Cases() => ConvCase.All();

        public static IEnumerable<SimdLevel> Levels() => GemmBenchmark.Levels();

        [GlobalSetup]
        public void Setup()
        {
            _saved = Simd.Level;
            Simd.Level = Level;
        }

        [GlobalCleanup]
        public void Cleanup() => Simd.Level = _saved;

        [Benchmark(Baseline = true)]
        public void Im2colGemm() => Case.Im2colGemm();

        [Benchmark]
        public void Direct() => Case.Direct();
    }
}
