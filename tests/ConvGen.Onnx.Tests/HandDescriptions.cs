using System;

namespace ConvGen.Onnx.Tests
{
    /// <summary>
    /// Descriptions of <see cref="LeNet5"/> and <see cref="AllKinds"/> written by hand, as the generator states them for
    /// generated networks: they test the ONNX writer on its own, against ONNX Runtime.
    /// </summary>
    internal static class HandDescriptions
    {
        public static NetworkDescription LeNet5() => new(1, 28, 28, new LayerDescription[]
        {
            Conv("conv1", "input", new[] { 6, 28, 28 }, 6, 5, 5, 1, Padding2D.Uniform(2), 1, 1, true, Activation.Tanh),
            new PoolDescription("avgpool1", In("conv1"), new[] { 6, 14, 14 }, PoolFunction.Average, 2, 2, 0, false),
            Conv("conv2", "avgpool1", new[] { 16, 10, 10 }, 16, 5, 5, 1, default, 1, 1, true, Activation.Tanh),
            new PoolDescription("avgpool2", In("conv2"), new[] { 16, 5, 5 }, PoolFunction.Average, 2, 2, 0, false),
            new FlattenDescription("flatten1", In("avgpool2"), new[] { 400 }),
            new DenseDescription("dense1", In("flatten1"), new[] { 120 }, 120, true, Activation.Tanh),
            new DenseDescription("dense2", In("dense1"), new[] { 84 }, 84, true, Activation.Tanh),
            new DenseDescription("dense3", In("dense2"), new[] { 10 }, 10, true, Activation.None),
        });

        public static NetworkDescription AllKinds() => new(3, 17, 15, new LayerDescription[]
        {
            Conv("conv1", "input", new[] { 6, 9, 8 }, 6, 4, 4, 2, new Padding2D(1, 1, 2, 2), 1, 1, true, Activation.ReLU),
            new BatchNormDescription("bn1", In("conv1"), new[] { 6, 9, 8 }, 0.001f, 0.1f),
            new ActivationDescription("leakyrelu1", In("bn1"), new[] { 6, 9, 8 }, ActivationFunction.LeakyReLU, 0.2f),
            new PoolDescription("maxpool1", In("leakyrelu1"), new[] { 6, 5, 5 }, PoolFunction.Max, 3, 2, 1, true),
            Conv("conv2", "maxpool1", new[] { 8, 3, 5 }, 8, 3, 2, 1, Padding2D.Uniform(1), 2, 2, true, Activation.Tanh),
            new PoolDescription("avgpool1", In("conv2"), new[] { 8, 4, 6 }, PoolFunction.Average, 2, 1, 1, false),
            Conv("conv3", "avgpool1", new[] { 10, 4, 6 }, 10, 1, 1, 1, default, 1, 1, false, Activation.Sigmoid),
            new ActivationDescription("softmax1", In("conv3"), new[] { 10, 4, 6 }, ActivationFunction.Softmax, 0),
            new GlobalAvgPoolDescription("gap1", In("softmax1"), new[] { 10, 1, 1 }),
            new FlattenDescription("flatten1", In("gap1"), new[] { 10 }),
            new DropoutDescription("dropout1", In("flatten1"), new[] { 10 }, 0.3f),
            new DenseDescription("dense1", In("dropout1"), new[] { 12 }, 12, true, Activation.ReLU),
            new ActivationDescription("relu1", In("dense1"), new[] { 12 }, ActivationFunction.ReLU, 0),
            new ActivationDescription("tanh1", In("relu1"), new[] { 12 }, ActivationFunction.Tanh, 0),
            new ActivationDescription("sigmoid1", In("tanh1"), new[] { 12 }, ActivationFunction.Sigmoid, 0),
            new DenseDescription("dense2", In("sigmoid1"), new[] { 5 }, 5, false, Activation.Softmax),
        });

        public static NetworkDescription PoolEdges() => new(2, 8, 8, new LayerDescription[]
        {
            new PoolDescription("avgpool1", In("input"), new[] { 2, 5, 5 }, PoolFunction.Average, 3, 2, 1, true),
            new PoolDescription("maxpool1", In("avgpool1"), new[] { 2, 3, 3 }, PoolFunction.Max, 2, 2, 0, true),
        });

        public static NetworkDescription Ladder() => new(2, 6, 6, new LayerDescription[]
        {
            Conv("a", "input", new[] { 4, 6, 6 }, 4, 3, 3, 1, Padding2D.Uniform(1), 1, 1, true, Activation.None),
            Conv("b", "a", new[] { 4, 6, 6 }, 4, 3, 3, 1, Padding2D.Uniform(1), 1, 1, true, Activation.ReLU),
            new AddDescription("c", new[] { "a", "b" }, new[] { 4, 6, 6 }, Activation.None),
            Conv("d", "b", new[] { 4, 6, 6 }, 4, 3, 3, 1, Padding2D.Uniform(1), 1, 1, true, Activation.None),
            new ConcatDescription("e", new[] { "c", "d" }, new[] { 8, 6, 6 }),
            new GlobalAvgPoolDescription("gap1", In("e"), new[] { 8, 1, 1 }),
            new FlattenDescription("flatten1", In("gap1"), new[] { 8 }),
            new DenseDescription("dense1", In("flatten1"), new[] { 3 }, 3, true, Activation.None),
        });

        private static string[] In(string name) => new[] { name };

        private static ConvDescription Conv(
            string name, string input, int[] output, int filters, int kh, int kw, int stride, Padding2D padding, int dilation, int groups, bool bias, Activation activation) =>
            new(name, In(input), output, filters, kh, kw, stride, stride, padding, dilation, groups, bias, activation);
    }
}
