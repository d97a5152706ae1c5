using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ConvGen
{
    /// <summary>
    /// The state and update shared by <see cref="Adam"/> and <see cref="AdamW"/>: first and second moment estimates with
    /// bias correction exactly as in PyTorch's <c>torch.optim.Adam</c> (without AMSGrad).
    /// </summary>
    internal sealed class AdamMoments
    {
        private readonly string _optimizer;
        private int _parameterCount = -1;
        private float[]? _first;
        private float[]? _second;

        /// <summary>Creates empty state; <paramref name="optimizer"/> names the owner in error messages.</summary>
        public AdamMoments(string optimizer)
        {
            _optimizer = optimizer;
        }

        /// <summary>Steps taken so far.</summary>
        public long Steps { get; private set; }

        /// <summary>
        /// One step: <c>p ← p·(1 − lr·decoupledDecay)</c>; <c>g ← g + l2·p</c>; <c>m ← m + (1 − β1)(g − m)</c>; <c>v ← β2·v + (1 − β2)·g²</c>;
        /// <c>p ← p − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε)</c>.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Step(
            Span<float> values, ReadOnlySpan<float> gradients,
            float learningRate, float beta1, float beta2, float epsilon, float l2Decay, float decoupledDecay)
        {
            OptimizerArguments.RequireSameLength(values, gradients);
            OptimizerArguments.RequireUnchangedCount(ref _parameterCount, values.Length, _optimizer);

            var first = (_first ??= new float[values.Length]).AsSpan();
            var second = (_second ??= new float[values.Length]).AsSpan();
            Steps++;

            var stepSize = (float)(learningRate / (1.0 - Math.Pow(beta1, Steps)));
            var correction2Sqrt = (float)Math.Sqrt(1.0 - Math.Pow(beta2, Steps));
            var shrink = 1f - learningRate * decoupledDecay;
            var mix1 = 1f - beta1;
            var mix2 = 1f - beta2;

            var i = 0;
            if (Vector.IsHardwareAccelerated && values.Length >= Vector<float>.Count)
            {
                var p = MemoryMarshal.Cast<float, Vector<float>>(values);
                var g = MemoryMarshal.Cast<float, Vector<float>>(gradients);
                var m = MemoryMarshal.Cast<float, Vector<float>>(first);
                var v = MemoryMarshal.Cast<float, Vector<float>>(second);
                for (var k = 0; k < p.Length; k++)
                {
                    var pk = p[k] * shrink;
                    var gk = g[k] + pk * l2Decay;
                    var mk = m[k] + (gk - m[k]) * mix1;
                    var vk = v[k] * beta2 + gk * gk * mix2;
                    m[k] = mk;
                    v[k] = vk;
                    p[k] = pk - mk / (Vector.SquareRoot(vk) / correction2Sqrt + new Vector<float>(epsilon)) * stepSize;
                }

                i = p.Length * Vector<float>.Count;
            }

            for (; i < values.Length; i++)
            {
                var pk = values[i] * shrink;
                var gk = gradients[i] + pk * l2Decay;
                var mk = first[i] + (gk - first[i]) * mix1;
                var vk = second[i] * beta2 + gk * gk * mix2;
                first[i] = mk;
                second[i] = vk;
                values[i] = pk - mk / (MathF.Sqrt(vk) / correction2Sqrt + epsilon) * stepSize;
            }
        }
    }
}
