using System.Linq;
using ConvGen.Generator.Analysis;
using ConvGen.Generator.Emit;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Tests
{
    public class SummaryTableTests
    {
        private static NetworkModel LeNet5() => ModelBuilder.Input(1, 28, 28)
            .Conv(20, 5, padding: 2, activation: Activation.ReLU).MaxPool(2)
            .Conv(50, 5, padding: 2, activation: Activation.ReLU).MaxPool(2)
            .Flatten().Dense(500, Activation.ReLU).Dense(10).Build();

        [Fact]
        public void LeNet5_Table()
        {
            var model = LeNet5();
            var expected = string.Join("\n",
                "Layer  Kind                   Output      Param #  Mult-adds  RF",
                "===================================================================",
                "l1     Conv2D 5×5 /1 p2 ReLU  20×28×28        520    392,000  5×5",
                "l2     MaxPool2D 2×2 /2       20×14×14          0          0  6×6",
                "l3     Conv2D 5×5 /1 p2 ReLU  50×14×14     25,050  4,900,000  14×14",
                "l4     MaxPool2D 2×2 /2       50×7×7            0          0  16×16",
                "l5     Flatten                2450              0          0  16×16",
                "l6     Dense ReLU             500       1,225,500  1,225,000  28×28",
                "l7     Dense                  10            5,010      5,000  28×28",
                "===================================================================",
                "Total parameters: 1,256,080",
                "Total multiply-adds: 6,522,000",
                "Input: 1×28×28",
                "Output: 10");
            Assert.Equal(expected, SummaryTable.Render(model, ShapeInference.Infer(model)));
        }

        [Fact]
        public void ResidualBlock_ShowsBranchesAndConnections()
        {
            // A 1×1 conv stem, then a basic block whose shortcut is a projection: conv/bn/relu/conv/bn beside conv/bn, summed.
            var model = ModelBuilder.Input(4, 8, 8)
                .Conv(8, 1)
                .Conv(8, 3, padding: 1, bias: false).BatchNorm().Relu().Conv(8, 3, padding: 1, bias: false).BatchNorm()
                .From("l1").Conv(8, 1, bias: false).BatchNorm()
                .Add(new[] { "l6", "l8" }, Activation.ReLU)
                .GlobalAvgPool().Build();
            var expected = string.Join("\n",
                "Layer  Kind                      Output  Param #  Mult-adds  RF     Connected to",
                "================================================================================",
                "l1     Conv2D 1×1 /1 p0          8×8×8        40      2,048  1×1",
                "├ l2   Conv2D 3×3 /1 p1 no-bias  8×8×8       576     36,864  3×3",
                "│ l3   BatchNorm2D               8×8×8        16          0  3×3",
                "│ l4   ReLU                      8×8×8         0          0  3×3",
                "│ l5   Conv2D 3×3 /1 p1 no-bias  8×8×8       576     36,864  5×5",
                "│ l6   BatchNorm2D               8×8×8        16          0  5×5",
                "├ l7   Conv2D 1×1 /1 p0 no-bias  8×8×8        64      4,096  1×1    l1",
                "│ l8   BatchNorm2D               8×8×8        16          0  1×1",
                "l9     Add ReLU                  8×8×8         0        512  5×5    l6, l8",
                "l10    GlobalAvgPool2D           8×1×1         0          0  12×12",
                "================================================================================",
                "Total parameters: 1,304",
                "Total multiply-adds: 80,384",
                "Input: 4×8×8",
                "Output: 8×1×1");
            Assert.Equal(expected, SummaryTable.Render(model, ShapeInference.Infer(model)));
        }

        [Fact]
        public void NestedGroups_AreIndentedOneLevelPerFork()
        {
            // Outer fork at the input: branch 1 is a conv holding an inner residual (conv beside the identity), branch 2 a conv.
            var model = ModelBuilder.Input(4, 8, 8)
                .Conv(4, 1).Conv(4, 1).Add(new[] { "l2", "l1" })
                .From("input").Conv(4, 1)
                .Concat("l3", "l4").Build();
            var names = SummaryTable.Render(model, ShapeInference.Infer(model)).Split('\n').Skip(2).Take(5).Select(line => line.Split("  ")[0]);
            Assert.Equal(new[] { "├ l1", "│ ├ l2", "│ l3", "├ l4", "l5" }, names);
        }

        [Fact]
        public void Chain_HasNoConnectedToColumn() =>
            Assert.DoesNotContain("Connected to", SummaryTable.Render(LeNet5(), ShapeInference.Infer(LeNet5())));

        [Fact]
        public void Lines_AreNewlineSeparated_WithoutTrailingSpaces()
        {
            var model = LeNet5();
            var text = SummaryTable.Render(model, ShapeInference.Infer(model));
            Assert.DoesNotContain('\r', text);
            Assert.All(text.Split('\n'), line => Assert.Equal(line.TrimEnd(), line));
        }

        [Theory]
        [InlineData("Conv2D 3×5 /2×1 same d2 g2 no-bias Sigmoid")]
        public void Describe_ConvOptions(string expected) =>
            Assert.Equal(expected, Describe(new Conv2DLayer(
                "c", LayerModel.Reads(null), null, 4, 3, 5, 2, 1, 0, PaddingMode.Same, 2, 2, false, Activation.Sigmoid)));

        [Fact]
        public void Describe_OtherKinds()
        {
            Assert.Equal("AvgPool2D 3×3 /2 p1 ceil", Describe(new Pool2DLayer("p", LayerModel.Reads(null), null, PoolKind.Average, 3, 2, 1, true)));
            Assert.Equal("Dropout 0.25", Describe(new DropoutLayer("d", LayerModel.Reads(null), null, 0.25f)));
            Assert.Equal("Add ReLU", Describe(new AddLayer("s", LayerModel.Reads(null), null, Activation.ReLU)));
            Assert.Equal("Concat", Describe(new ConcatLayer("c", LayerModel.Reads(null), null)));
            Assert.Equal("LeakyReLU 0.2", Describe(new ActivationLayer("a", LayerModel.Reads(null), null, "LeakyReLU", 0.2f)));
            Assert.Equal("Conv2D 1×1 /1 valid", Describe(new Conv2DLayer(
                "c", LayerModel.Reads(null), null, 4, 1, 1, 1, 1, 0, PaddingMode.Valid, 1, 1, true, Activation.None)));
        }

        /// <summary>The compact description with a shape: these options do not depend on it.</summary>
        private static string Describe(LayerModel layer) =>
            SummaryTable.Describe(layer, new LayerShape(Shape.Spatial(4, 8, 8), Shape.Spatial(4, 8, 8), Padding.None, 0, 0, 1, 1, 1, 1));

        [Fact]
        public void ThousandsSeparators_AreInvariant()
        {
            var previous = System.Globalization.CultureInfo.CurrentCulture;
            try
            {
                System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
                var model = LeNet5();
                Assert.Contains("Total parameters: 1,256,080", SummaryTable.Render(model, ShapeInference.Infer(model)));
            }
            finally
            {
                System.Globalization.CultureInfo.CurrentCulture = previous;
            }
        }

        [Fact]
        public void XmlDoc_IsPrefixedAndEscaped()
        {
            var model = ModelBuilder.Input(1, 8, 8).Flatten().Dense(2).Build();
            var doc = SummaryTable.RenderXmlDoc(model with { Layers = new EquatableArray<LayerModel>(model.Layers.Select(l => l with { Name = "a<b>&c" + l.Name })) }, ShapeInference.Infer(model));
            var lines = doc.Split('\n');
            Assert.Equal("/// <remarks>", lines[0]);
            Assert.Equal("/// <code>", lines[1]);
            Assert.Equal("/// </remarks>", lines[^1]);
            Assert.All(lines, line => Assert.StartsWith("///", line));
            Assert.Contains("a&lt;b&gt;&amp;c", doc);
            Assert.DoesNotContain("a<b>", doc);
        }

        [Fact]
        public void PartialAnalysis_RendersUnknownRows()
        {
            var model = ModelBuilder.Input(1, 8, 8).Flatten().Dense(0).Build();
            var text = SummaryTable.Render(model, ShapeInference.Infer(model));
            Assert.Contains("?", text);
            Assert.DoesNotContain("Output:", text);
        }
    }
}
