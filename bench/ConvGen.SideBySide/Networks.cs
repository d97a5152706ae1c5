using System;
using System.Linq;
using ConvGen.Samples.Architectures;

namespace ConvGen.SideBySide
{
    /// <summary>The benchmark's LeNet-5, as bench/pytorch/bench_models.py builds it.</summary>
    [Input(1, 28, 28)]
    [Conv2D(20, 5, Padding = 2, Activation = Activation.ReLU)]
    [MaxPool2D(2)]
    [Conv2D(50, 5, Padding = 2, Activation = Activation.ReLU)]
    [MaxPool2D(2)]
    [Flatten]
    [Dense(500, Activation = Activation.ReLU)]
    [Dense(10)]
    public partial class LeNet5 { }

    /// <summary>One 3×3 conv, 64→64 on 56×56 (a ResNet-18 stage-1 layer).</summary>
    [Input(64, 56, 56)]
    [Conv2D(64, 3, Padding = 1)]
    public partial class Conv64x56 { }

    /// <summary>One 3×3 conv, 128→128 on 28×28 (a ResNet-18 stage-2 layer).</summary>
    [Input(128, 28, 28)]
    [Conv2D(128, 3, Padding = 1)]
    public partial class Conv128x28 { }

    /// <summary>
    /// A network of the benchmark: its name (the stem of bench/models/&lt;name&gt;.safetensors and .onnx, and a key of
    /// bench_models.NETWORKS), the shapes of one sample's input and output, and its ConvGen class. ResNet-18 and GoogLeNet are
    /// the declarations of samples/Architectures (linked into this project), whose names are torchvision's state_dict keys.
    /// </summary>
    internal sealed record BenchNetwork(string Name, int[] InputShape, int[] OutputShape, Func<INetwork> Create)
    {
        public static readonly BenchNetwork[] All =
        {
            new("lenet5", new[] { 1, 28, 28 }, new[] { 10 }, () => new LeNet5(seed: 1)),
            new("conv3x3_64x56", new[] { 64, 56, 56 }, new[] { 64, 56, 56 }, () => new Conv64x56(seed: 1)),
            new("conv3x3_128x28", new[] { 128, 28, 28 }, new[] { 128, 28, 28 }, () => new Conv128x28(seed: 1)),
            new("resnet18", new[] { 3, 224, 224 }, new[] { 1000 }, () => new ResNet18(seed: 1)),
            new("googlenet", new[] { 3, 224, 224 }, new[] { 1000 }, () => new GoogLeNet(seed: 1)),
        };

        public static BenchNetwork Find(string name) => All.Single(n => n.Name == name);

        /// <summary>The shape of a batch: <paramref name="batch"/> followed by <paramref name="sample"/>.</summary>
        public static int[] Batched(int batch, int[] sample) => sample.Prepend(batch).ToArray();

        /// <summary><paramref name="length"/> floats uniform in [0, 1) from <c>new Random(seed)</c>.</summary>
        public static float[] Uniform(int length, int seed)
        {
            var random = new Random(seed);
            return Enumerable.Range(0, length).Select(_ => (float)random.NextDouble()).ToArray();
        }

        /// <summary>The batch every side is given: uniform in [0, 1), seed 42.</summary>
        public float[] Input(int batch) => Uniform(batch * InputShape.Aggregate(1, (a, b) => a * b), seed: 42);
    }
}
