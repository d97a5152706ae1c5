using System;

namespace ConvGen
{
    /// <summary>
    /// AdamW (Loshchilov &amp; Hutter): Adam with decoupled weight decay, with PyTorch's defaults and update rule (<c>torch.optim.AdamW</c>, no AMSGrad).
    /// Each step first shrinks the parameters, <c>p ← p − lr·wd·p</c>, then takes the Adam step on the plain gradient.
    /// </summary>
    /// <remarks>The moment buffers are allocated on the first step; later steps allocate nothing.</remarks>
    public sealed class AdamW : Optimizer
    {
        private readonly AdamMoments _moments = new(nameof(AdamW));

        /// <summary>Creates the optimizer.</summary>
        public AdamW(float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 1e-2f)
        {
            OptimizerArguments.RequireNonNegative(learningRate, nameof(learningRate));
            OptimizerArguments.RequireUnitInterval(beta1, nameof(beta1));
            OptimizerArguments.RequireUnitInterval(beta2, nameof(beta2));
            OptimizerArguments.RequireNonNegative(epsilon, nameof(epsilon));
            OptimizerArguments.RequireNonNegative(weightDecay, nameof(weightDecay));
            LearningRate = learningRate;
            Beta1 = beta1;
            Beta2 = beta2;
            Epsilon = epsilon;
            WeightDecay = weightDecay;
        }

        /// <summary>Decay rate of the first moment (mean) estimate.</summary>
        public float Beta1 { get; }

        /// <summary>Decay rate of the second moment (uncentred variance) estimate.</summary>
        public float Beta2 { get; }

        /// <summary>Added to the denominator for numerical stability.</summary>
        public float Epsilon { get; }

        /// <summary>The decoupled decay rate: each step multiplies the parameters by <c>1 − lr·wd</c>.</summary>
        public float WeightDecay { get; }

        /// <summary>Steps taken so far (drives the bias correction).</summary>
        public long Steps => _moments.Steps;

        /// <inheritdoc />
        public override void Step(Span<float> values, ReadOnlySpan<float> gradients) =>
            _moments.Step(values, gradients, LearningRate, Beta1, Beta2, Epsilon, l2Decay: 0f, decoupledDecay: WeightDecay);
    }
}
