using System;
using System.Collections.Generic;
using ConvGen.Generator.Analysis;
using ConvGen.Generator.Emit;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Tests
{
    /// <summary>Shape inference and the summary must never throw, whatever the attribute values: random models with extreme numbers.</summary>
    public class InferenceRobustnessTests
    {
        private static readonly int[] Interesting = { int.MinValue, -1, 0, 1, 2, 3, 7, 1000, 46341, 65536, 1 << 30, int.MaxValue };

        [Fact]
        public void RandomModels_NeverThrow_AndErrorsMeanNoFullAnalysis()
        {
            var random = new Random(20261123);
            for (var n = 0; n < 3000; n++)
            {
                var model = RandomModel(random);
                var analysis = ShapeInference.Infer(model);
                _ = SummaryTable.Render(model, analysis);

                if (!analysis.HasErrors)
                {
                    // A model that passes is fully analysed, with sane sizes: what the emitter relies on.
                    Assert.Equal(model.Layers.Count, analysis.Layers.Count);
                    Assert.All(analysis.Layers, l =>
                    {
                        Assert.True(l.Out.Channels > 0 && l.Out.Height > 0 && l.Out.Width > 0);
                        Assert.True(l.Out.Length <= int.MaxValue);
                        Assert.True(l.Parameters >= 0 && l.MultiplyAdds >= 0);
                    });
                    Assert.True(analysis.TotalParameters <= int.MaxValue);
                }
            }
        }

        private static int Pick(Random random) =>
            random.Next(3) == 0 ? Interesting[random.Next(Interesting.Length)] : random.Next(1, 9);

        private static NetworkModel RandomModel(Random random)
        {
            var layers = new List<LayerModel>();
            var previous = LayerModel.Reads(null);
            var count = random.Next(1, 6);
            for (var i = 0; i < count; i++)
            {
                var name = "l" + i;
                LayerModel layer = random.Next(8) switch
                {
                    0 or 1 => new Conv2DLayer(
                        name, previous, null, Pick(random), Pick(random), Pick(random), Pick(random), Pick(random), Pick(random) - 1,
                        (PaddingMode)random.Next(4), Pick(random), Pick(random), random.Next(2) == 0, (Activation)random.Next(Enum.GetValues<Activation>().Length + 1)),
                    2 => new Pool2DLayer(name, previous, null, (PoolKind)random.Next(2), Pick(random), Pick(random), Pick(random) - 1, random.Next(2) == 0),
                    3 => new FlattenLayer(name, previous, null),
                    4 => new DenseLayer(name, previous, random.Next(4) == 0 ? "12" : null, Pick(random), true, (Activation)random.Next(Enum.GetValues<Activation>().Length + 1)),
                    5 => new GlobalAvgPool2DLayer(name, previous, random.Next(4) == 0 ? "1x1x1" : null),
                    6 => new BatchNorm2DLayer(name, previous, null, random.Next(3) == 0 ? float.NaN : 1e-5f, 0.1f),
                    _ => new DropoutLayer(name, previous, random.Next(4) == 0 ? "x" : null, random.Next(3) == 0 ? float.PositiveInfinity : 0.5f),
                };
                layers.Add(layer);
                previous = LayerModel.Reads(name);
            }

            return new NetworkModel(
                null, "Fuzz", "public", Shape.Spatial(Pick(random), Pick(random), Pick(random)), random.Next(3) == 0 ? Pick(random) : 0,
                new EquatableArray<LayerModel>(layers));
        }
    }
}
