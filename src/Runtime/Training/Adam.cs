using System;

namespace ConvGen
{
    /// <summary>
    /// Adam (Kingma &amp; Ba) with PyTorch's defaults and update rule (<c>torch.optim.Adam</c>, no AMSGrad).
    /// Weight decay here is an L2 penalty added to the gradient; for decoupled weight decay use <see cref="AdamW"/>.
    /// </summary>
    /// <remarks>The moment buffers are allocated on the first step; later steps allocate nothing.</remarks>
    public sealed class Adam : Optimizer
    {
        private readonly AdamMoments _moments = new(nameof(Adam));

        /// <summary>Creates the optimizer.</summary>
        public Adam(float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0f)
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

        /// <summary>The L2 penalty added to the gradient (<c>g + wd·p</c>).</summary>
        public float WeightDecay { get; }

        /// <summary>Steps taken so far (drives the bias correction).</summary>
        public long Steps => _moments.Steps;

        /// <inheritdoc />
        public override void Step(Span<float> values, ReadOnlySpan<float> gradients) =>
            _moments.Step(values, gradients, LearningRate, Beta1, Beta2, Epsilon, l2Decay: WeightDecay, decoupledDecay: 0f);
    }
}
