using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using ConvGen.Kernels;

namespace ConvGen.Benchmarks
{
    /// <summary>One GEMM problem: C[m×n] (+)= op(A)·op(B).</summary>
    public sealed class GemmShape : IFlopCount
    {
        public GemmShape(string name, bool transA, bool transB, int m, int n, int k, bool accumulate)
        {
            Name = name;
            TransA = transA;
            TransB = transB;
            M = m;
            N = n;
            K = k;
            Accumulate = accumulate;
        }

        public string Name { get; }
        public bool TransA { get; }
        public bool TransB { get; }
        public int M { get; }
        public int N { get; }
        public int K { get; }
        public bool Accumulate { get; }
        public double Flops => 2.0 * M * N * K;
        public int Lda => TransA ? M : K;
        public int Ldb => TransB ? K : N;

        /// <summary>The conv- and dense-shaped problems the network code produces.</summary>
        public static IEnumerable<GemmShape> All()
        {
            // Conv forward: W[oc × ic·kh·kw] · col[ic·kh·kw × pixels].
            yield return new GemmShape("fwd 3x3 64-64 56x56", false, false, 64, 3136, 576, false);
            yield return new GemmShape("fwd 3x3 128-128 28x28", false, false, 128, 784, 1152, false);
            yield return new GemmShape("fwd 5x5 1-20 28x28", false, false, 20, 784, 25, false);
            yield return new GemmShape("fwd 5x5 20-50 14x14", false, false, 50, 196, 500, false);
            // Conv weight gradient: dW[oc × K] += dY[oc × pixels] · colᵀ (col stored K × pixels).
            yield return new GemmShape("wgrad 3x3 64-64 56x56", false, true, 64, 576, 3136, true);
            // Conv data gradient: col[K × pixels] = Wᵀ · dY (W stored oc × K).
            yield return new GemmShape("dgrad 3x3 64-64 56x56", true, false, 576, 3136, 64, false);
            // Dense: Y[batch × out] = X[batch × in] · Wᵀ (W stored out × in).
            yield return new GemmShape("dense 64x4096-1000", false, true, 64, 1000, 4096, false);
            yield return new GemmShape("dense 1x4096-4096", false, true, 1, 4096, 4096, false);
        }

        public override string ToString() =>
            $"{Name} [{(TransA ? "T" : "N")}{(TransB ? "T" : "N")} {M}x{N}x{K}]";
    }

    [Config(typeof(KernelConfig))]
    public class GemmBenchmark
    {
        private float[] _a = Array.Empty<float>();
        private float[] _b = Array.Empty<float>();
        private float[] _c = Array.Empty<float>();
        private SimdLevel _saved;

        [ParamsSource(nameof(Shapes))]
        public GemmShape Shape { get; set; } = null!;

        [ParamsSource(nameof(Levels))]
        public SimdLevel Level { get; set; }

        public static IEnumerable<GemmShape> Shapes() => GemmShape.All();

        public static IEnumerable<SimdLevel> Levels()
        {
            foreach (var level in new[] { SimdLevel.Scalar, SimdLevel.Avx2, SimdLevel.Avx512 })
            {
                if (level <= Simd.Supported) yield return level;
            }
        }

        [GlobalSetup]
        public void Setup()
        {
            _saved = Simd.Level;
            Simd.Level = Level;
            var rng = new Random(42);
            _a = Fill(rng, Shape.M * Shape.K);
            _b = Fill(rng, Shape.K * Shape.N);
            _c = new float[Shape.M * Shape.N];
        }

        [GlobalCleanup]
        public void Cleanup() => Simd.Level = _saved;

        [Benchmark]
        public void Multiply()
        {
            var s = Shape;
            Gemm.Multiply(s.TransA, s.TransB, s.M, s.N, s.K, _a, s.Lda, _b, s.Ldb, _c, s.N, s.Accumulate);
        }

        internal static float[] Fill(Random rng, int length)
        {
            var x = new float[length];
            for (int i = 0; i < length; i++) x[i] = (float)(rng.NextDouble() - 0.5);
            return x;
        }
    }
}
