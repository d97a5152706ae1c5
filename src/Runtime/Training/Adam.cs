namespace ConvGen
{
    /// <summary>
    /// Adam (Kingma &amp; Ba) with PyTorch's defaults and update rule (<c>torch.optim.Adam</c>, no AMSGrad).
    /// Weight decay here is an L2 penalty added to the gradient (<c>g + wd·p</c>); for decoupled weight decay use <see cref="AdamW"/>.
    /// </summary>
    public sealed class Adam : AdaptiveMomentOptimizer
    {
        /// <summary>Creates the optimizer.</summary>
        public Adam(float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0f)
            : base(nameof(Adam), learningRate, beta1, beta2, epsilon, weightDecay)
        {
        }

        /// <inheritdoc />
        protected override bool DecouplesWeightDecay => false;
    }
}
