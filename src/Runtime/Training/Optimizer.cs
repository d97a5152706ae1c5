using System;

namespace ConvGen
{
    /// <summary>Updates a network's parameters from its gradients. Element-wise, so it works on the flat parameter vector.</summary>
    public abstract class Optimizer
    {
        /// <summary>The step size; a schedule may change it between steps.</summary>
        public float LearningRate { get; set; }

        /// <summary>Updates <paramref name="values"/> in place from <paramref name="gradients"/> (same length).</summary>
        public abstract void Step(Span<float> values, ReadOnlySpan<float> gradients);

        /// <summary>Updates the network's parameters from its accumulated gradients.</summary>
        public void Step(INetwork network)
        {
            ArgumentNullException.ThrowIfNull(network);
            Step(network.ParameterValues, network.ParameterGradients);
        }
    }
}
