namespace ConvGen
{
    /// <summary>
    /// AdamW (Loshchilov &amp; Hutter): Adam with decoupled weight decay, with PyTorch's defaults and update rule
    /// (<c>torch.optim.AdamW</c>, no AMSGrad). Each step first shrinks the parameters, <c>p ← p − lr·wd·p</c>, then takes
    /// the Adam step on the plain gradient.
    /// </summary>
    public sealed class AdamW : AdaptiveMomentOptimizer
    {
        /// <summary>Creates the optimizer.</summary>
        public AdamW(float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 1e-2f)
            : base(nameof(AdamW), learningRate, beta1, beta2, epsilon, weightDecay)
        {
        }

        /// <inheritdoc />
        protected override bool DecouplesWeightDecay => true;
    }
}
