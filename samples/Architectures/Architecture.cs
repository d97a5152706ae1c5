using System;

namespace ConvGen.Samples.Architectures
{
    /// <summary>One classic network declared in this sample.</summary>
    /// <param name="Name">The class name.</param>
    /// <param name="Title">What it is, for headings.</param>
    /// <param name="Summary">Its compile-time layer table.</param>
    /// <param name="ParameterCount">Its compile-time parameter count (pinned by <c>ExpectedParameters</c> in the declaration).</param>
    /// <param name="TorchvisionName">The torchvision model it reproduces name for name (<c>resnet18</c>), or null when torchvision has none.</param>
    /// <param name="Create">Makes an instance (PyTorch's default initialization, seed 0).</param>
    public sealed record Architecture(string Name, string Title, string Summary, int ParameterCount, string? TorchvisionName, Func<INetwork> Create);
}
