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

        /// <summary>
        /// Updates the network's parameters from its accumulated gradients. A generated network learns of the step as of its
        /// own writes, so its packed convolution weights are repacked once rather than compared on every later call (as after
        /// handing out <see cref="INetwork.ParameterValues"/>, the path taken for any other <see cref="INetwork"/>).
        /// </summary>
        public void Step(INetwork network)
        {
            ArgumentNullException.ThrowIfNull(network);
            var gradients = network.ParameterGradients;
            if (network.Parameters.TryGetStorage(gradients.Length, out var values, out var writes))
            {
                Step(values, gradients);
                writes.Changed();
                return;
            }

            Step(network.ParameterValues, gradients);
        }
    }
}
