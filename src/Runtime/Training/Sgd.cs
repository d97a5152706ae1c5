using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ConvGen
{
    /// <summary>
    /// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight decay,
    /// following the update rule of PyTorch's <c>torch.optim.SGD</c>:
    /// <c>g ← g + wd·p</c>; <c>buf ← g</c> on the first step, then <c>buf ← momentum·buf + (1 − dampening)·g</c>;
    /// <c>g ← g + momentum·buf</c> (Nesterov) or <c>g ← buf</c>; <c>p ← p − lr·g</c>.
    /// </summary>
    /// <remarks>The momentum buffer is allocated on the first <see cref="Step(Span{float}, ReadOnlySpan{float})"/>; later steps allocate nothing.</remarks>
    public sealed class Sgd : Optimizer
    {
        private int _parameterCount = -1;
        private float[]? _momentumBuffer;

        /// <summary>Creates the optimizer. Nesterov momentum needs a positive momentum and zero dampening, as in PyTorch.</summary>
        public Sgd(float learningRate = 0.01f, float momentum = 0f, float dampening = 0f, float weightDecay = 0f, bool nesterov = false)
        {
            OptimizerArguments.RequireNonNegative(learningRate, nameof(learningRate));
            OptimizerArguments.RequireNonNegative(momentum, nameof(momentum));
            OptimizerArguments.RequireNonNegative(weightDecay, nameof(weightDecay));
            if (!float.IsFinite(dampening))
            {
                throw new ArgumentOutOfRangeException(nameof(dampening), dampening, "Dampening must be a finite number.");
            }

            if (nesterov && (momentum <= 0f || dampening != 0f))
            {
                throw new ArgumentException($"Nesterov momentum needs momentum > 0 and dampening = 0 (got momentum = {momentum}, dampening = {dampening}).", nameof(nesterov));
            }

            LearningRate = learningRate;
            Momentum = momentum;
            Dampening = dampening;
            WeightDecay = weightDecay;
            Nesterov = nesterov;
        }

        /// <summary>The momentum factor (0 turns momentum off).</summary>
        public float Momentum { get; }

        /// <summary>How much of each new gradient is left out of the momentum buffer.</summary>
        public float Dampening { get; }

        /// <summary>The L2 penalty added to the gradient (<c>g + wd·p</c>).</summary>
        public float WeightDecay { get; }

        /// <summary>Whether Nesterov momentum is used.</summary>
        public bool Nesterov { get; }

        /// <inheritdoc />
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Step(Span<float> values, ReadOnlySpan<float> gradients)
        {
            OptimizerArguments.RequireSameLength(values, gradients);
            OptimizerArguments.RequireUnchangedCount(ref _parameterCount, values.Length, nameof(Sgd));
            var learningRate = LearningRate;
            var weightDecay = WeightDecay;
            if (Momentum == 0f)
            {
                for (var n = 0; n < values.Length; n++)
                {
                    var g = gradients[n] + weightDecay * values[n];
                    values[n] -= learningRate * g;
                }

                return;
            }

            // One loop for every variant: b = bufferScale·buf + gradientScale·g (the first step copies g), p -= lr·(gWeight·g + bWeight·b).
            var firstStep = _momentumBuffer is null;
            var buffer = (_momentumBuffer ??= new float[values.Length]).AsSpan();
            var bufferScale = firstStep ? 0f : Momentum;
            var gradientScale = firstStep ? 1f : 1f - Dampening;
            var gWeight = Nesterov ? 1f : 0f;
            var bWeight = Nesterov ? Momentum : 1f;
            var i = 0;
            if (Vector.IsHardwareAccelerated && values.Length >= Vector<float>.Count)
            {
                var p = MemoryMarshal.Cast<float, Vector<float>>(values);
                var g = MemoryMarshal.Cast<float, Vector<float>>(gradients);
                var b = MemoryMarshal.Cast<float, Vector<float>>(buffer);
                for (var k = 0; k < p.Length; k++)
                {
                    var gk = g[k] + p[k] * weightDecay;
                    var bk = b[k] * bufferScale + gk * gradientScale;
                    b[k] = bk;
                    p[k] -= (gk * gWeight + bk * bWeight) * learningRate;
                }

                i = p.Length * Vector<float>.Count;
            }

            for (; i < values.Length; i++)
            {
                var gk = gradients[i] + weightDecay * values[i];
                var bk = buffer[i] * bufferScale + gk * gradientScale;
                buffer[i] = bk;
                values[i] -= learningRate * (gk * gWeight + bk * bWeight);
            }
        }
    }
}
