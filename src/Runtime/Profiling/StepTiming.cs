using System;

namespace ConvGen
{
    /// <summary>
    /// What a <see cref="LayerProfile"/> recorded for one step of a network: a layer's forward or backward pass (or a part
    /// of it, such as an activation's backward or the reduction of the workers' gradients).
    /// </summary>
    /// <param name="Step">The step as the generated code describes it: the layer's name, what the step does, and the shapes (<c>conv1: Conv2D 1→20, 5×5, stride 1, pad 2, ReLU: 1×28×28 → 20×28×28</c>).</param>
    /// <param name="Calls">How many times the step ran while the profile was attached.</param>
    /// <param name="Elapsed">Wall-clock time of those runs, on the calling thread, from the start of the step to the end of its last worker's share.</param>
    public readonly record struct StepTiming(string Step, long Calls, TimeSpan Elapsed)
    {
        /// <summary>The layer's name: <see cref="Step"/> up to its first colon (<c>conv1</c>, <c>conv2 backward</c>).</summary>
        public string Layer => Step.IndexOf(':') is var colon and >= 0 ? Step.Substring(0, colon) : Step;

        /// <summary>Mean wall-clock time of one run: <see cref="Elapsed"/> / <see cref="Calls"/>.</summary>
        public TimeSpan Mean => Calls == 0 ? TimeSpan.Zero : Elapsed / Calls;
    }
}
