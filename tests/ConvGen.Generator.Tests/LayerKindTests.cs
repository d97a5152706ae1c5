using System;
using System.Linq;
using ConvGen.Generator.Analysis;
using ConvGen.Generator.Emit;
using ConvGen.Generator.Layers;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Tests
{
    /// <summary>
    /// The layer-kind table (src/Generator/Layers): one kind per attribute, one description read two ways, and the two
    /// element-wise kinds added through it alone, [ReLU6] and [Swish], from declaration to emitted code.
    /// </summary>
    public class LayerKindTests
    {
        private const string Activations = """
            using ConvGen;

            [Input(2, 6, 6)]
            [Conv2D(4, 3, Padding = 1, Activation = Activation.ReLU6)]
            [Swish]
            [Conv2D(3, 3)]
            [ReLU6]
            [ReLU6]
            [Flatten]
            [Dense(5, Activation = Activation.ReLU6)]
            [Swish]
            public partial class Net { }
            """;

        [Fact]
        public void EveryLayerAttribute_HasExactlyOneKind_NamedAfterIt()
        {
            var attributes = typeof(LayerAttribute).Assembly.GetTypes()
                .Where(t => t.IsSubclassOf(typeof(LayerAttribute)) && !t.IsAbstract)
                .Select(t => "ConvGen." + t.Name)
                .OrderBy(n => n, StringComparer.Ordinal);

            Assert.Equal(attributes, LayerKinds.All.Select(k => k.AttributeMetadataName).OrderBy(n => n, StringComparer.Ordinal));
            Assert.Contains(LayerKinds.All, k => k.Name == "ReLU6");
            Assert.Contains(LayerKinds.All, k => k.Name == "Swish");
        }

        [Fact]
        public void ReLU6AndSwish_KeepTheShape_HaveNoParameters_AndTakeTheirDefaultNames()
        {
            var run = GeneratorHarness.Run(Activations);
            Assert.Empty(run.Diagnostics);
            var model = Assert.Single(run.Models);
            Assert.Equal(new[] { "conv1", "swish1", "conv2", "relu6_1", "relu6_2", "flatten1", "dense1", "swish2" }, model.Layers.Select(l => l.Name));
            Assert.Equal(Activation.ReLU6, ((Conv2DLayer)model.Layers[0]).Activation);
            Assert.Equal(Activation.ReLU6, ((DenseLayer)model.Layers[6]).Activation);

            var analysis = ShapeInference.Infer(model);
            Assert.Equal(
                new[] { "4×6×6", "4×6×6", "3×4×4", "3×4×4", "3×4×4", "48", "5", "5" },
                analysis.Layers.Select(l => l.Out.ToString()));
            Assert.Equal(new long[] { 76, 0, 111, 0, 0, 0, 245, 0 }, analysis.Layers.Select(l => l.Parameters));
        }

        [Fact]
        public void ReLU6AndSwish_InTheSummary()
        {
            var run = GeneratorHarness.Run(Activations);
            var model = Assert.Single(run.Models);
            var rows = SummaryTable.Render(model, ShapeInference.Infer(model)).Split('\n')
                .Select(line => System.Text.RegularExpressions.Regex.Replace(line, " {2,}", " | "));

            Assert.Contains("conv1 | Conv2D 3×3 /1 p1 ReLU6 | 4×6×6 | 76 | 2,592 | 3×3", rows);
            Assert.Contains("swish1 | Swish | 4×6×6 | 0 | 0 | 3×3", rows);
            Assert.Contains("relu6_2 | ReLU6 | 3×4×4 | 0 | 0 | 5×5", rows);
            Assert.Contains("dense1 | Dense ReLU6 | 5 | 245 | 240 | 6×6", rows);
            Assert.Contains("swish2 | Swish | 5 | 0 | 0 | 6×6", rows);
        }

        [Fact]
        public void ReLU6AndSwish_EmittedCode_CallsTheirKernels_AndDescribesThem()
        {
            var run = GeneratorHarness.Run(Activations);
            Assert.Empty(run.GeneratedCodeProblems);
            var code = run.Sources.Single(s => s.HintName.Contains("Net", StringComparison.Ordinal)).SourceText.ToString();

            Assert.Contains("// swish1: Swish: 4×6×6 → 4×6×6", code);
            Assert.Contains("// relu6_1: ReLU6: 3×4×4 → 3×4×4", code);
            Assert.Contains("conv1: Conv2D 2→4, 3×3, stride 1, pad 1, ReLU6: 2×6×6 → 4×6×6", code);
            Assert.Contains("global::ConvGen.Kernels.VectorOps.Swish(x, y);", code);
            Assert.Contains("global::ConvGen.Kernels.VectorOps.SwishBackward(dy, _conv1Out.AsSpan(", code);
            Assert.Contains("global::ConvGen.Kernels.VectorOps.Activate(x, y, global::ConvGen.Activation.ReLU6);", code);
            Assert.Contains("global::ConvGen.Kernels.VectorOps.ActivationBackward(dy, _relu6_1Out.AsSpan(", code);
            Assert.Contains("new global::ConvGen.ActivationDescription(\"swish1\", new[] { \"conv1\" }, new[] { 4, 6, 6 }, Function: global::ConvGen.ActivationFunction.Swish)", code);
            Assert.Contains("new global::ConvGen.ActivationDescription(\"relu6_2\", new[] { \"relu6_1\" }, new[] { 3, 4, 4 }, Function: global::ConvGen.ActivationFunction.ReLU6)", code);
            Assert.Contains("Activation: global::ConvGen.Activation.ReLU6)", code);
        }

        [Fact]
        public void OneDescription_GivesTheCommentAndTheSummaryCell()
        {
            var conv = new Conv2DLayer("c", LayerModel.Reads(null), null, 4, 3, 2, 2, 1, 0, PaddingMode.Same, 1, 1, false, Activation.ReLU6);
            var shape = new LayerShape(Shape.Spatial(2, 5, 5), Shape.Spatial(4, 3, 5), new Padding(0, 1, 0, 1), 0, 0, 1, 1, 1, 1);
            var description = LayerKinds.Of(conv).Describe(conv, shape);

            Assert.Equal("2→4, 3×2, stride 2×1, pad top/bottom/left/right 0/1/0/1, no bias, ReLU6", description.Long);
            Assert.Equal("3×2 /2×1 same no-bias ReLU6", description.Compact);
            Assert.Equal("Conv2D " + description.Compact, SummaryTable.Describe(conv, shape));
        }

        [Fact]
        public void SwishCannotBeFused_ItIsNotAnActivationValue() =>
            Assert.DoesNotContain("Swish", Enum.GetNames<Activation>());
    }
}
