using System;

namespace ConvGen.Networks
{
    /// <summary>
    /// The part of a generated network that depends on its layers, as its <see cref="NetworkRunner"/> drives it: the
    /// per-batch buffers, the forward and backward steps in order, and the step methods themselves. A generated class
    /// implements it in a private nested class, so none of these members is part of the network's public API.
    /// </summary>
    public interface INetworkSchedule
    {
        /// <summary>The activations of the network's output, one sample after another from the start (the last forward pass's).</summary>
        Span<float> Output { get; }

        /// <summary>Where backward starts: ∂L/∂output, one sample after another from the start.</summary>
        Span<float> OutputGradient { get; }

        /// <summary>
        /// Makes every per-batch buffer hold <paramref name="batchSize"/> samples. The buffers start sized for one sample, and
        /// this is called only with a batch larger than any before. Every size is checked before any buffer changes, so a
        /// batch too large throws and leaves the network as it was.
        /// </summary>
        void Grow(int batchSize);

        /// <summary>
        /// Copies <paramref name="input"/> in and runs every forward step over <paramref name="batchSize"/> samples, split
        /// among <paramref name="workers"/> workers, each GEMM over up to <paramref name="gemmThreads"/> threads (backward
        /// keeps both); <paramref name="training"/> selects the training form of the layers that have one (BatchNorm's batch
        /// statistics, Dropout). A network without GEMMs or without such layers ignores what does not apply to it.
        /// </summary>
        void Forward(ReadOnlySpan<float> input, int batchSize, int workers, int gemmThreads, bool training);

        /// <summary>
        /// Runs every backward step, from <see cref="OutputGradient"/> back to the input. <paramref name="fromLogits"/>: it
        /// already holds ∂L/∂logits of the network's final softmax, whose backward is skipped (only ever true for a network
        /// that ends with one). <paramref name="needInputGradient"/>: compute ∂L/∂input too.
        /// </summary>
        void Backward(bool fromLogits, bool needInputGradient);

        /// <summary>Copies ∂L/∂input of <paramref name="batchSize"/> samples, computed by the last <see cref="Backward"/>, out.</summary>
        void CopyInputGradient(Span<float> inputGradient, int batchSize);

        /// <summary>
        /// Runs the step numbered <paramref name="step"/> (as the schedule passed it to <see cref="NetworkRunner.Run(int)"/>)
        /// on one worker's share: part <paramref name="part"/> of <paramref name="parts"/> of each of its samples (0 of 1, the
        /// whole sample, unless the step was run with <see cref="NetworkRunner.Run(int, int, long)"/> on one worker). A part
        /// step (run from inside a step by <see cref="NetworkRunner.RunParts"/>) gets the sample in place of the worker.
        /// </summary>
        void RunStep(int step, int worker, int part, int parts);

        /// <summary>
        /// Step <paramref name="step"/> as the generated code's comment at its call describes it: the layer's name, what
        /// the step does and the shapes (<see cref="LayerProfile"/> shows it).
        /// </summary>
        string Describe(int step);
    }
}
