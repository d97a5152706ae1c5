using System;

namespace ConvGen
{
    /// <summary>
    /// What Adam and AdamW share: the moment estimates with bias correction and their hyper-parameters. They differ only
    /// in how weight decay enters — added to the gradient (Adam's L2 penalty) or applied to the parameters (AdamW).
    /// </summary>
    /// <remarks>The moment buffers are allocated on the first step; later steps allocate nothing.</remarks>
    public abstract class AdaptiveMomentOptimizer : Optimizer
    {
        private readonly AdamMoments _moments;

        private protected AdaptiveMomentOptimizer(string name, float learningRate, float beta1, float beta2, float epsilon, float weightDecay)
        {
            OptimizerArguments.RequireNonNegative(learningRate, nameof(learningRate));
            OptimizerArguments.RequireUnitInterval(beta1, nameof(beta1));
            OptimizerArguments.RequireUnitInterval(beta2, nameof(beta2));
            OptimizerArguments.RequireNonNegative(epsilon, nameof(epsilon));
            OptimizerArguments.RequireNonNegative(weightDecay, nameof(weightDecay));
            _moments = new AdamMoments(name);
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

        /// <summary>The weight decay rate; how it is applied depends on the optimizer.</summary>
        public float WeightDecay { get; }

        /// <summary>Steps taken so far (drives the bias correction).</summary>
        public long Steps => _moments.Steps;

        /// <summary>True when weight decay shrinks the parameters directly (AdamW) rather than joining the gradient (Adam).</summary>
        protected abstract bool DecouplesWeightDecay { get; }

        /// <inheritdoc />
        public override void Step(Span<float> values, ReadOnlySpan<float> gradients) =>
            _moments.Step(
                values, gradients, LearningRate, Beta1, Beta2, Epsilon,
                l2Decay: DecouplesWeightDecay ? 0f : WeightDecay,
                decoupledDecay: DecouplesWeightDecay ? WeightDecay : 0f);
    }
}
