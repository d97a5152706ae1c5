using System.Collections.Generic;
using System.Globalization;
using ConvGen.Generator.Analysis;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Tests
{
    /// <summary>Builds <see cref="NetworkModel"/> values directly (no compilation), naming layers sequentially like the parser.</summary>
    internal sealed class ModelBuilder
    {
        private readonly Shape _input;
        private readonly List<LayerModel> _layers = new();
        private int _expectedParameters;

        private ModelBuilder(Shape input) => _input = input;

        public static ModelBuilder Input(int channels, int height, int width) => new(Shape.Spatial(channels, height, width));

        private EquatableArray<string> Previous => LayerModel.Reads(_layers.Count == 0 ? null : _layers[_layers.Count - 1].Name);

        private string NextName => "l" + (_layers.Count + 1).ToString(CultureInfo.InvariantCulture);

        public ModelBuilder Conv(
            int filters, int kernel, int stride = 1, int padding = 0, PaddingKind mode = PaddingKind.Explicit, int dilation = 1,
            int groups = 1, bool bias = true, ActivationKind activation = ActivationKind.None, int? kernelWidth = null, int? strideWidth = null, string? expect = null)
        {
            _layers.Add(new Conv2DLayer(
                NextName, Previous, expect, filters, kernel, kernelWidth ?? kernel, stride, strideWidth ?? stride, padding, mode, dilation, groups, bias, activation));
            return this;
        }

        public ModelBuilder MaxPool(int size, int? stride = null, int padding = 0, bool ceil = false) =>
            Add(new Pool2DLayer(NextName, Previous, null, PoolKind.Max, size, stride ?? size, padding, ceil));

        public ModelBuilder AvgPool(int size, int? stride = null, int padding = 0, bool ceil = false) =>
            Add(new Pool2DLayer(NextName, Previous, null, PoolKind.Average, size, stride ?? size, padding, ceil));

        public ModelBuilder Flatten() => Add(new FlattenLayer(NextName, Previous, null));

        public ModelBuilder GlobalAvgPool() => Add(new GlobalAvgPool2DLayer(NextName, Previous, null));

        public ModelBuilder Dense(int units, ActivationKind activation = ActivationKind.None, bool bias = true) =>
            Add(new DenseLayer(NextName, Previous, null, units, bias, activation));

        public ModelBuilder Dropout(float rate = 0.5f) => Add(new DropoutLayer(NextName, Previous, null, rate));

        public ModelBuilder BatchNorm() => Add(new BatchNorm2DLayer(NextName, Previous, null, 1e-5f, 0.1f));

        public ModelBuilder ExpectParameters(int count)
        {
            _expectedParameters = count;
            return this;
        }

        public NetworkModel Build() => new(null, "Net", "public", _input, _expectedParameters, new EquatableArray<LayerModel>(_layers));

        public NetworkAnalysis Infer() => ShapeInference.Infer(Build());

        private ModelBuilder Add(LayerModel layer)
        {
            _layers.Add(layer);
            return this;
        }
    }
}
