using System.Collections.Generic;
using System.Globalization;
using ConvGen.Generator.Analysis;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Tests
{
    /// <summary>
    /// Builds <see cref="NetworkModel"/> values directly (no compilation), naming layers l1, l2, ... in order. Each layer
    /// reads the previous one, unless <see cref="From"/> names what the next layer reads; merges name their inputs.
    /// </summary>
    internal sealed class ModelBuilder
    {
        private readonly Shape _input;
        private readonly List<LayerModel> _layers = new();
        private int _expectedParameters;
        private string? _from;

        private ModelBuilder(Shape input) => _input = input;

        public static ModelBuilder Input(int channels, int height, int width) => new(Shape.Spatial(channels, height, width));

        private EquatableArray<string> Previous => LayerModel.Reads(_from ?? (_layers.Count == 0 ? null : _layers[_layers.Count - 1].Name));

        private string NextName => "l" + (_layers.Count + 1).ToString(CultureInfo.InvariantCulture);

        public ModelBuilder Conv(
            int filters, int kernel, int stride = 1, int padding = 0, PaddingMode mode = PaddingMode.Explicit, int dilation = 1,
            int groups = 1, bool bias = true, Activation activation = Activation.None, int? kernelWidth = null, int? strideWidth = null, string? expect = null)
        {
            return Append(new Conv2DLayer(
                NextName, Previous, expect, filters, kernel, kernelWidth ?? kernel, stride, strideWidth ?? stride, padding, mode, dilation, groups, bias, activation));
        }

        public ModelBuilder MaxPool(int size, int? stride = null, int padding = 0, bool ceil = false) =>
            Append(new Pool2DLayer(NextName, Previous, null, PoolKind.Max, size, stride ?? size, padding, ceil));

        public ModelBuilder AvgPool(int size, int? stride = null, int padding = 0, bool ceil = false) =>
            Append(new Pool2DLayer(NextName, Previous, null, PoolKind.Average, size, stride ?? size, padding, ceil));

        public ModelBuilder Flatten() => Append(new FlattenLayer(NextName, Previous, null));

        public ModelBuilder GlobalAvgPool() => Append(new GlobalAvgPool2DLayer(NextName, Previous, null));

        public ModelBuilder Dense(int units, Activation activation = Activation.None, bool bias = true) =>
            Append(new DenseLayer(NextName, Previous, null, units, bias, activation));

        public ModelBuilder Dropout(float rate = 0.5f) => Append(new DropoutLayer(NextName, Previous, null, rate));

        public ModelBuilder BatchNorm() => Append(new BatchNorm2DLayer(NextName, Previous, null, 1e-5f, 0.1f));

        public ModelBuilder Relu() => Append(new ActivationLayer(NextName, Previous, null, "ReLU", 0f));

        /// <summary>The next layer reads <paramref name="name"/> (a layer, or "input") instead of the previous layer.</summary>
        public ModelBuilder From(string name)
        {
            _from = name;
            return this;
        }

        public ModelBuilder Add(string[] inputs, Activation activation = Activation.None, string? expect = null) =>
            Append(new AddLayer(NextName, new EquatableArray<string>(inputs), expect, activation));

        public ModelBuilder Concat(params string[] inputs) => Append(new ConcatLayer(NextName, new EquatableArray<string>(inputs), null));

        public ModelBuilder ExpectParameters(int count)
        {
            _expectedParameters = count;
            return this;
        }

        public NetworkModel Build() => new(null, "Net", "public", _input, _expectedParameters, new EquatableArray<LayerModel>(_layers));

        public NetworkAnalysis Infer() => ShapeInference.Infer(Build());

        private ModelBuilder Append(LayerModel layer)
        {
            _layers.Add(layer);
            _from = null;
            return this;
        }
    }
}
