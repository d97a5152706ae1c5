using System.Linq;
using ConvGen.Generator.Analysis;
using ConvGen.Generator.Emit;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generator.Tests
{
    /// <summary>Well-known networks declared as attributes and compiled through the generator; ExpectedParameters pins their sizes.</summary>
    public class ReferenceNetworkTests
    {
        [Theory]
        [InlineData(nameof(Networks.LeNet5), "1,256,080")]
        [InlineData(nameof(Networks.ClassicLeNet5), "61,706")]
        [InlineData(nameof(Networks.Vgg16), "138,357,544")]
        public void CompilesWithoutDiagnostics_AndSummaryTotalsMatch(string network, string total)
        {
            var source = (string)typeof(Networks).GetField(network)!.GetValue(null)!;
            var run = GeneratorHarness.Run(source);
            Assert.Empty(run.CompilerErrors);
            Assert.Empty(run.Diagnostics);
            var model = Assert.Single(run.Models);
            Assert.Contains("\nTotal parameters: " + total + "\n", SummaryTable.Render(model, ShapeInference.Infer(model)));
        }

        [Fact]
        public void AlexNet_TorchvisionLayout_Has61100840Parameters_WithoutWarnings()
        {
            var run = GeneratorHarness.Run(Networks.AlexNet);
            Assert.Empty(run.CompilerErrors);

            // conv1: (224 + 4 − 11) / 4 + 1 = 55.25: the stride never reaches the last padded row and column, but those are padding.
            Assert.Empty(run.Diagnostics);

            var model = Assert.Single(run.Models);
            var analysis = ShapeInference.Infer(model);
            Assert.Equal(61100840, analysis.TotalParameters);
            Assert.Contains("\nTotal parameters: 61,100,840\n", SummaryTable.Render(model, analysis));
        }

        [Fact]
        public void Vgg16_Shapes()
        {
            var model = Assert.Single(GeneratorHarness.Run(Networks.Vgg16).Models);
            var analysis = ShapeInference.Infer(model);
            var pools = analysis.Layers.Where((_, i) => model.Layers[i] is Model.Pool2DLayer).Select(l => l.Out.ToString());
            Assert.Equal(new[] { "64×112×112", "128×56×56", "256×28×28", "512×14×14", "512×7×7" }, pools);
            Assert.Equal("1000", analysis.Output.ToString());
        }
    }
}
