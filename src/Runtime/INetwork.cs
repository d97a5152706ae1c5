using System;

namespace ConvGen
{
    /// <summary>What every generated network offers, so runtime code (optimizers, trainer, serialization) works with any of them.</summary>
    /// <remarks>
    /// <para><b>Threads:</b> an instance is single-caller. Its activation buffers, gradients and scratch hold one call's
    /// work, so <see cref="Forward(ReadOnlySpan{float}, Span{float}, int)"/>, <see cref="Backward(ReadOnlySpan{float}, int)"/>
    /// and <see cref="TrainStep(ReadOnlySpan{float}, ReadOnlySpan{int}, int, Optimizer)"/> must not run on one instance from
    /// two threads at once; use one instance per thread (load the same weights into each). A generated network enforces
    /// it: a call from a second thread while another runs throws <see cref="InvalidOperationException"/>. Each call already spreads its
    /// batch over <see cref="Threads"/> workers, and separate instances run in parallel without waiting for each other.</para>
    /// </remarks>
    public interface INetwork
    {
        /// <summary>Floats in one input sample (C·H·W).</summary>
        int InputLength { get; }

        /// <summary>Floats in one output sample.</summary>
        int OutputLength { get; }

        /// <summary>Trainable parameters, PyTorch names and layouts (<c>conv1.weight</c> [out, in/groups, kh, kw]).</summary>
        ParameterList Parameters { get; }

        /// <summary>Non-trainable state saved with the weights (BatchNorm's <c>running_mean</c>/<c>running_var</c>).</summary>
        ParameterList Buffers { get; }

        /// <summary>
        /// All parameters as one flat span, in <see cref="Parameters"/> order, writable. As with <see cref="Parameter.Values"/>,
        /// handing it out makes the convolution kernels that keep packed weights compare them with the parameters on every
        /// later call; <c>NetworkSerialization.Load</c>, <see cref="Parameter.Write"/> and training leave them their cheaper check.
        /// </summary>
        Span<float> ParameterValues { get; }

        /// <summary>All parameter gradients as one flat span, aligned with <see cref="ParameterValues"/>.</summary>
        Span<float> ParameterGradients { get; }

        /// <summary>Training mode: BatchNorm uses batch statistics and Dropout drops. False (inference) by default.</summary>
        bool Training { get; set; }

        /// <summary>
        /// Whether <see cref="Forward(ReadOnlySpan{float}, Span{float})"/> writes probabilities because the network ends in a softmax
        /// (a <c>[Softmax]</c> layer or a <c>[Dense]</c> with <c>Activation.Softmax</c>) rather than raw class scores (logits).
        /// <see cref="Predictions.Probabilities(INetwork, ReadOnlySpan{float})"/> and the held-out loss of <see cref="Trainer.Evaluate"/>
        /// read it. The default, false, is right for networks that end in logits; a network ending in a softmax overrides it.
        /// </summary>
        bool EndsWithSoftmax => false;

        /// <summary>Threads a batch is spread over (default: the processor count). A given count gives bit-identical results.</summary>
        int Threads { get; set; }

        /// <summary>
        /// The <see cref="LayerProfile"/> timing each layer's steps in this network's calls, or null (the default) for none.
        /// A generated network records one; this interface's own implementation, for other networks, records nothing and
        /// refuses a profile.
        /// </summary>
        /// <exception cref="ArgumentException">The profile already records another network.</exception>
        /// <exception cref="NotSupportedException">The network does not record layer timings (not a generated network).</exception>
        LayerProfile? Profile
        {
            get => null;
            set => throw new NotSupportedException($"{GetType().Name} does not time its layers: only a generated network records a LayerProfile.");
        }

        /// <summary>Runs one sample: <paramref name="input"/> holds <see cref="InputLength"/> floats (NCHW), <paramref name="output"/> receives <see cref="OutputLength"/>.</summary>
        void Forward(ReadOnlySpan<float> input, Span<float> output);

        /// <summary>Runs <paramref name="batchSize"/> samples stored one after another.</summary>
        void Forward(ReadOnlySpan<float> input, Span<float> output, int batchSize);

        /// <summary>After a <see cref="Forward(ReadOnlySpan{float}, Span{float}, int)"/> of the same batch, accumulates ∂L/∂parameters into <see cref="ParameterGradients"/>.</summary>
        void Backward(ReadOnlySpan<float> outputGradient, int batchSize);

        /// <summary>As <see cref="Backward(ReadOnlySpan{float}, int)"/>, and writes ∂L/∂input.</summary>
        void Backward(ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batchSize);

        /// <summary>Sets every parameter gradient to zero.</summary>
        void ZeroGradients();

        /// <summary>Forward in training mode, softmax cross-entropy against <paramref name="labels"/> (mean over the batch), backward, one optimizer step. Returns the loss.</summary>
        float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, int batchSize, Optimizer optimizer);

        /// <summary>As the classification overload, with mean squared error against <paramref name="targets"/> (<see cref="OutputLength"/> floats per sample).</summary>
        float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int batchSize, Optimizer optimizer);
    }
}
