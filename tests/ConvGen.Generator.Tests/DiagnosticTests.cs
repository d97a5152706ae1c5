using System.Linq;
using Microsoft.CodeAnalysis;
using static ConvGen.Generator.Tests.DiagnosticAssert;

namespace ConvGen.Generator.Tests
{
    /// <summary>Every catalogue diagnostic: id, severity, exact span (from the <c>{|ID:...|}</c> markers) and what the message names.</summary>
    public class DiagnosticTests
    {
        [Fact]
        public void CG0001_ClassNotPartial()
        {
            var d = Single("[Input(1, 8, 8)]\n[Flatten]\npublic class {|CG0001:Net|} { }");
            Assert.Contains("'Net'", d.Message());
        }

        [Fact]
        public void CG0002_ClassNested()
        {
            var d = Single("public partial class Outer\n{\n    [Input(1, 8, 8)]\n    [Flatten]\n    public partial class {|CG0002:Net|} { }\n}");
            Assert.Contains("'Outer'", d.Message());
        }

        [Fact]
        public void CG0003_ClassGeneric() =>
            Single("[Input(1, 8, 8)]\n[Flatten]\npublic partial class {|CG0003:Net|}<T> { }");

        [Fact]
        public void CG0004_MissingInput_ReportedOncePerClass()
        {
            var d = Single("[{|CG0004:Conv2D(4, 3)|}]\n[Conv2D(4, 3)]\n[Flatten]\n[Dense(10)]\npublic partial class Net { }");
            Assert.Contains("'Net'", d.Message());
        }

        [Fact]
        public void CG0004_MissingInput_OnPartialDeclarations_ReportedOnce() =>
            Reports("[{|CG0004:Dense(10)|}]\npublic partial class Net { }", "[Flatten]\n[Dense(2)]\npublic partial class Net { }");

        [Fact]
        public void CG0004_NotReported_WhenInputIsOnAnotherPartialDeclaration() =>
            Reports("[Input(1, 8, 8)]\npublic partial class Net { }", "[{|CG0005:Flatten|}]\npublic partial class Net { }");

        [Fact]
        public void CG0005_LayersSplitAcrossPartials()
        {
            var diagnostics = Reports(
                "[Input(1, 8, 8)]\n[Flatten]\npublic partial class Net { }",
                "[{|CG0005:Dense(10)|}]\n[Dense(2)]\npublic partial class Net { }");
            Assert.Contains("'Net'", diagnostics[0].Message());
        }

        [Theory]
        [InlineData("[Input({|CG0006:0|}, 8, 8)]\n[Flatten]", "input", "Channels must be at least 1, but is 0")]
        [InlineData("[Input(1, 8, {|CG0006:-8|})]\n[Flatten]", "input", "Width must be at least 1, but is -8")]
        [InlineData("[Input(1, 8, 8)]\n[Conv2D({|CG0006:0|}, 3)]", "conv1", "Filters must be at least 1, but is 0")]
        [InlineData("[Input(1, 8, 8)]\n[Conv2D(4, {|CG0006:-3|})]", "conv1", "KernelHeight must be at least 1, but is -3")]
        [InlineData("[Input(1, 8, 8)]\n[Conv2D(4, 3, {|CG0006:KernelWidth = 0|})]", "conv1", "KernelWidth must be at least 1, but is 0")]
        [InlineData("[Input(1, 8, 8)]\n[Conv2D(4, 3, {|CG0006:Stride = 0|})]", "conv1", "StrideHeight must be at least 1, but is 0")]
        [InlineData("[Input(1, 8, 8)]\n[Conv2D(4, 3, {|CG0006:StrideHeight = 0|})]", "conv1", "StrideHeight must be at least 1, but is 0")]
        [InlineData("[Input(1, 8, 8)]\n[Conv2D(4, 3, {|CG0006:StrideWidth = -1|})]", "conv1", "StrideWidth must be at least 1, but is -1")]
        [InlineData("[Input(1, 8, 8)]\n[Conv2D(4, 3, {|CG0006:Padding = -1|})]", "conv1", "Padding must be at least 0, but is -1")]
        [InlineData("[Input(1, 8, 8)]\n[Conv2D(4, 3, {|CG0006:Dilation = 0|})]", "conv1", "Dilation must be at least 1, but is 0")]
        [InlineData("[Input(1, 8, 8)]\n[Conv2D(4, 3, {|CG0006:Groups = 0|})]", "conv1", "Groups must be at least 1, but is 0")]
        [InlineData("[Input(1, 8, 8)]\n[Flatten]\n[Dense({|CG0006:0|})]", "dense1", "Units must be at least 1, but is 0")]
        [InlineData("[Input(1, 8, 8)]\n[MaxPool2D({|CG0006:0|})]", "maxpool1", "Size must be at least 1, but is 0")]
        [InlineData("[Input(1, 8, 8)]\n[MaxPool2D(2, {|CG0006:Stride = 0|})]", "maxpool1", "Stride must be at least 1, but is 0")]
        [InlineData("[Input(1, 8, 8)]\n[AvgPool2D(2, {|CG0006:Padding = -1|})]", "avgpool1", "Padding must be at least 0, but is -1")]
        [InlineData("[Input(1, 8, 8)]\n[Conv2D(kernelSize: 3, {|CG0006:filters: 0|})]", "conv1", "Filters must be at least 1, but is 0")]
        [InlineData("[Input(1, 8, 8)]\n[Conv2D(filters: 4, {|CG0006:kernelSize: -3|})]", "conv1", "KernelHeight must be at least 1, but is -3")]
        public void CG0006_ArgumentOutOfRange(string attributes, string layer, string message)
        {
            var d = Single(attributes + "\npublic partial class Net { }");
            Assert.Contains("'" + layer + "'", d.Message());
            Assert.EndsWith(message, d.Message());
        }

        [Fact]
        public void CG0007_KernelLargerThanPaddedInput_AfterDilation()
        {
            var d = Single("[Input(1, 8, 8)]\n[{|CG0007:Conv2D(4, 5, Dilation = 2)|}]\npublic partial class Net { }");
            Assert.Equal("Layer 'conv1' (Conv2D): the 5×5 kernel (dilated to 9×9) does not fit the input 1×8×8 padded to 8×8", d.Message());
        }

        [Fact]
        public void CG0007_KernelFits_OnceWithPadding() =>
            Reports("[Input(1, 4, 4)]\n[Conv2D(4, 5, Padding = 1)]\n[Flatten]\npublic partial class Net { }");

        [Fact]
        public void CG0008_GroupsDoNotDivide()
        {
            var d = Single("[Input(4, 8, 8)]\n[Conv2D(6, 3, {|CG0008:Groups = 3|})]\npublic partial class Net { }");
            Assert.Equal("Layer 'conv1' (Conv2D): Groups = 3 must divide both the input channels (4) and the filters (6)", d.Message());
        }

        [Fact]
        public void CG0009_DenseAfterSpatialWithoutFlatten()
        {
            var d = Single("[Input(1, 8, 8)]\n[Conv2D(2, 3)]\n[{|CG0009:Dense(10)|}]\npublic partial class Net { }");
            Assert.Equal("Layer 'dense1' (Dense) reads the spatial shape 2×6×6; add [Flatten] before it to turn it into 72 features", d.Message());
        }

        [Fact]
        public void CG0010_PoolWindowLargerThanInput()
        {
            var d = Single("[Input(3, 8, 8)]\n[{|CG0010:MaxPool2D(9)|}]\npublic partial class Net { }");
            Assert.Equal("Layer 'maxpool1' (MaxPool2D): the 9×9 window does not fit the input 3×8×8 padded to 8×8", d.Message());
        }

        [Theory]
        [InlineData("1f")]
        [InlineData("-0.1f")]
        [InlineData("float.NaN")]
        public void CG0011_DropoutRateOutOfRange(string rate)
        {
            var d = Single("[Input(1, 8, 8)]\n[Dropout({|CG0011:" + rate + "|})]\npublic partial class Net { }");
            Assert.StartsWith("Layer 'dropout1' (Dropout): the rate must be in [0, 1), but is ", d.Message());
        }

        [Fact]
        public void CG0012_ExpectMismatch()
        {
            var d = Single("[Input(1, 8, 8)]\n[Conv2D(4, 3, {|CG0012:Expect = \"4x8x8\"|})]\npublic partial class Net { }");
            Assert.Equal("Layer 'conv1' (Conv2D) outputs 4×6×6, but Expect = \"4x8x8\" (input 1×8×8)", d.Message());
        }

        [Fact]
        public void CG0013_ExpectedParametersMismatch_OnTheArgument()
        {
            var d = Single("[Input(1, 8, 8, {|CG0013:ExpectedParameters = 5|})]\n[Conv2D(4, 3)]\npublic partial class Net { }");
            Assert.Equal("Network 'Net' has 40 trainable parameters, but ExpectedParameters = 5", d.Message());
        }

        [Theory]
        [InlineData("abc")]
        [InlineData("4x8")]
        [InlineData("0×8×8")]
        [InlineData("")]
        public void CG0014_ExpectInvalid(string expect)
        {
            var d = Single("[Input(1, 8, 8)]\n[Conv2D(4, 3, {|CG0014:Expect = \"" + expect + "\"|})]\npublic partial class Net { }");
            Assert.Contains("'conv1'", d.Message());
        }

        [Fact]
        public void CG0015_StrideDoesNotFit_SeedExample()
        {
            var d = Single("[Input(1, 7, 7)]\n[Conv2D(1, 3, {|CG0015:StrideHeight = 3|})]\npublic partial class Net { }", DiagnosticSeverity.Warning);
            Assert.Equal(
                "Layer 'conv1' (Conv2D): (7 − 3) / 3 + 1 = 2.33 is not whole, so the output keeps 2 rows and the stride never reaches the padded input's last row (0-based index 6)",
                d.Message());
        }

        [Fact]
        public void CG0015_StrideDoesNotFit_BothAxes_AndModelStillEmitted()
        {
            var source = DiagnosticAssert.Usings + "[Input(1, 7, 7)]\n[Conv2D(1, 3, Stride = 3)]\n[MaxPool2D(2, Stride = 2)]\npublic partial class Net { }";
            var run = GeneratorHarness.Run(source);
            Assert.All(run.Diagnostics, d => Assert.Equal(DiagnosticSeverity.Warning, d.Severity));
            Assert.Equal(new[] { "row", "column" }, run.Diagnostics.Select(d => d.Message().Contains("last row") ? "row" : "column"));
            Assert.Single(run.Sources);
        }

        [Fact]
        public void CG0015_SeveralUnreadRows_AreGivenAsARange()
        {
            var d = Single("[Input(1, 12, 12)]\n[Conv2D(1, 4, {|CG0015:StrideHeight = 3|})]\npublic partial class Net { }", DiagnosticSeverity.Warning);
            Assert.Equal(
                "Layer 'conv1' (Conv2D): (12 − 4) / 3 + 1 = 3.67 is not whole, so the output keeps 3 rows and the stride never reaches the padded input's last 2 rows (0-based indices 10–11)",
                d.Message());
        }

        [Fact]
        public void CG0016_NeedsSpatialInput()
        {
            var d = Single("[Input(1, 8, 8)]\n[Flatten]\n[{|CG0016:MaxPool2D(2)|}]\npublic partial class Net { }");
            Assert.Equal("Layer 'maxpool1' (MaxPool2D) needs a C×H×W input, but reads the flat shape 64", d.Message());
        }

        [Fact]
        public void CG0018_DuplicateLayerName() =>
            Single("[Input(1, 8, 8)]\n[Conv2D(4, 3, Name = \"a\")]\n[Conv2D(4, 3, {|CG0018:Name = \"a\"|})]\npublic partial class Net { }");

        [Fact]
        public void CG0019_SoftmaxOnConv() =>
            Single("[Input(1, 8, 8)]\n[Conv2D(4, 3, {|CG0019:Activation = Activation.Softmax|})]\npublic partial class Net { }");

        [Fact]
        public void CG0020_TooManyParameters()
        {
            var d = Single("[{|CG0020:Input(1, 1, 65536)|}]\n[Flatten]\n[Dense(65536)]\npublic partial class Net { }");
            Assert.Equal("Network 'Net' has 4,295,032,832 trainable parameters, more than ConvGen's limit of 2,147,483,647", d.Message());
        }

        [Fact]
        public void CG0021_PoolPaddingTooLarge() =>
            Single("[Input(1, 8, 8)]\n[MaxPool2D(2, {|CG0021:Padding = 2|})]\npublic partial class Net { }");

        [Theory]
        [InlineData("[BatchNorm2D({|CG0022:Epsilon = 0f|})]")]
        [InlineData("[BatchNorm2D({|CG0022:Momentum = 1.5f|})]")]
        [InlineData("[LeakyReLU({|CG0022:float.PositiveInfinity|})]")]
        [InlineData("[Conv2D(4, 3, {|CG0022:Activation = (Activation)42|})]")]
        [InlineData("[Conv2D(4, 3, {|CG0022:PaddingMode = (PaddingMode)7|})]")]
        public void CG0022_InvalidNumber(string layer) =>
            Single("[Input(1, 8, 8)]\n" + layer + "\npublic partial class Net { }");

        [Fact]
        public void CG0025_NetworkIsRecord() =>
            Single("[Input(1, 8, 8)]\n[Conv2D(4, 3)]\npublic partial record {|CG0025:Net|};");

        [Theory]
        [InlineData("PaddingMode.Same")]
        [InlineData("PaddingMode.Valid")]
        public void CG0026_PaddingConflictsWithMode(string mode) =>
            Single("[Input(1, 8, 8)]\n[Conv2D(4, 3, {|CG0026:Padding = 1|}, PaddingMode = " + mode + ")]\npublic partial class Net { }");

        [Fact]
        public void CG0023_UnknownLayerAttribute_IsReportedNotThrown()
        {
            var d = Single("public sealed class SquashAttribute : LayerAttribute { }\n[Input(1, 8, 8)]\n[{|CG0023:Squash|}]\npublic partial class Net { }");
            Assert.Equal(
                "Attribute 'SquashAttribute' on network 'Net' derives from ConvGen.LayerAttribute but is not a ConvGen layer; only the built-in layer attributes can be compiled",
                d.Message());
        }

        [Fact]
        public void CG0024_InputTooLarge()
        {
            var d = Single("[{|CG0024:Input(1, 65536, 65536)|}]\n[Flatten]\npublic partial class Net { }");
            Assert.Equal("Layer 'input' (Input) on input 1×65536×65536: it has 4,294,967,296 elements, more than ConvGen's limit of 2,147,483,647", d.Message());
        }

        [Fact]
        public void CG0024_PaddingOverflowsTheOutputSize()
        {
            var d = Single("[Input(1, 8, 8)]\n[{|CG0024:Conv2D(1, 1, Padding = 2000000000)|}]\npublic partial class Net { }");
            Assert.Contains("'conv1'", d.Message());
        }

        [Fact]
        public void CG0024_OutputTooLarge()
        {
            var d = Single("[Input(1, 2048, 2048)]\n[{|CG0024:Conv2D(1024, 1)|}]\npublic partial class Net { }");
            Assert.Equal("Layer 'conv1' (Conv2D) on input 1×2048×2048: its output 1024×2048×2048 has 4,294,967,296 elements, more than ConvGen's limit of 2,147,483,647", d.Message());
        }

        [Fact]
        public void CG0004_MissingInput_ReportedForAMergeToo() =>
            Single("[{|CG0004:Add(\"a\", \"b\")|}]\npublic partial class Net { }");

        [Fact]
        public void CG0019_SoftmaxOnAdd()
        {
            var d = Single("[Input(1, 8, 8)]\n[Branch]\n[Branch]\n[Add({|CG0019:Activation = Activation.Softmax|})]\npublic partial class Net { }");
            Assert.Equal("Layer 'add1' (Add): Activation.Softmax is only for Dense layers; add a [Softmax] layer after it instead", d.Message());
        }

        [Fact]
        public void CG0027_UnclosedGroup_OnTheBranchThatOpenedIt()
        {
            var d = Single("[Input(4, 8, 8)]\n[Conv2D(4, 1)]\n[{|CG0027:Branch|}]\n[Conv2D(4, 1)]\n[Branch]\n[Conv2D(4, 1)]\npublic partial class Net { }");
            Assert.Equal("The [Branch] group opened here at 'conv1' (2 branches) is never closed; end it with [Add] or [Concat] after its last branch", d.Message());
        }

        [Fact]
        public void CG0027_UnclosedOuterGroup_WhenTheMergeClosesTheNestedOne()
        {
            var d = Single("[Input(4, 8, 8)]\n[{|CG0027:Branch|}]\n[Conv2D(4, 1)]\n[Branch(Nested = true)]\n[Conv2D(4, 1)]\n[Branch]\n[Add]\npublic partial class Net { }");
            Assert.Contains("at 'input' (1 branch)", d.Message());
        }

        [Theory]
        [InlineData("Add")]
        [InlineData("Concat")]
        public void CG0028_MergeWithoutGroupOrNames(string merge)
        {
            var d = Single("[Input(4, 8, 8)]\n[Conv2D(4, 1)]\n[{|CG0028:" + merge + "|}]\npublic partial class Net { }");
            Assert.StartsWith("Layer '" + merge.ToLowerInvariant() + "1' (" + merge + ") has nothing to merge: no [Branch] group is open and it names no layers", d.Message());
        }

        [Fact]
        public void CG0029_GroupWithASingleBranch()
        {
            var d = Single("[Input(4, 8, 8)]\n[Branch]\n[Conv2D(4, 1)]\n[{|CG0029:Add|}]\npublic partial class Net { }");
            Assert.Equal(
                "Layer 'add1' (Add) has nothing to merge: its [Branch] group (opened at 'input') has a single branch; start another with [Branch] (an empty branch is the identity)",
                d.Message());
        }

        [Fact]
        public void CG0029_MergeNamingOneLayer()
        {
            var d = Single("[Input(4, 8, 8)]\n[Conv2D(4, 1)]\n[{|CG0029:Concat(\"conv1\")|}]\npublic partial class Net { }");
            Assert.Equal("Layer 'concat1' (Concat) has nothing to merge: it names only 'conv1'; name two or more layers", d.Message());
        }

        [Fact]
        public void CG0030_AddOverDifferentShapes_SuggestsTheShortcutProjection()
        {
            var d = Single(
                "[Input(64, 7, 7)]\n[Branch]\n[Conv2D(128, 3, Stride = 2, Padding = 1, Name = \"layer2.0.conv1\")]\n[Branch]\n" +
                "[{|CG0030:Add(Activation = Activation.ReLU)|}]\npublic partial class Net { }");
            Assert.Equal(
                "Layer 'add1' (Add) sums values of different shapes: 'layer2.0.conv1' 128×4×4, 'input' 64×7×7; " +
                "to bring 'input' to 128×4×4, end its branch with the 1×1 projection [Conv2D(128, 1, Stride = 2)]",
                d.Message());
        }

        [Fact]
        public void CG0030_NamesEachBranchesLastLayer_WithoutAHintWhenNoProjectionFits()
        {
            var d = Single(
                "[Input(4, 8, 8)]\n[Branch]\n[Conv2D(4, 3, Name = \"a\")]\n[Branch]\n[Conv2D(4, 1)]\n[Conv2D(4, 1, Name = \"b\")]\n" +
                "[{|CG0030:Add|}]\npublic partial class Net { }");
            Assert.Equal("Layer 'add1' (Add) sums values of different shapes: 'a' 4×6×6, 'b' 4×8×8", d.Message());
        }

        [Theory]
        [InlineData("[Conv2D(8, 1)]", "'maxpool1' 4×4×4, 'conv1' 8×8×8, but spatial values are stacked along channels, so their heights and widths must be equal")]
        [InlineData("[Flatten]", "'maxpool1' 4×4×4, 'flatten1' 256, but it cannot mix spatial and flat values; end the spatial branches with [Flatten] to join features")]
        public void CG0031_ConcatOverMisalignedValues(string secondBranch, string message)
        {
            var d = Single("[Input(4, 8, 8)]\n[Branch]\n[MaxPool2D(2)]\n[Branch]\n" + secondBranch + "\n[{|CG0031:Concat|}]\npublic partial class Net { }");
            Assert.Equal("Layer 'concat1' (Concat) joins " + message, d.Message());
        }

        [Fact]
        public void CG0032_FromNamesNoLayer()
        {
            var d = Single("[Input(4, 8, 8)]\n[Conv2D(4, 1, Name = \"stem\")]\n[Conv2D(4, 1, {|CG0032:From = \"sterm\"|})]\npublic partial class Net { }");
            Assert.Equal("Layer 'conv1' (Conv2D) reads 'sterm', but no layer has that name; name an earlier layer, or \"input\" for the network input", d.Message());
        }

        [Fact]
        public void CG0032_OnTheMergeNameAtFault() =>
            Single("[Input(4, 8, 8)]\n[Conv2D(4, 1)]\n[Add(\"conv1\", {|CG0032:\"conv9\"|}, \"input\")]\npublic partial class Net { }");

        [Fact]
        public void CG0033_ForwardReference()
        {
            var d = Single("[Input(4, 8, 8)]\n[Conv2D(4, 1, {|CG0033:From = \"later\"|})]\n[Conv2D(4, 1, Name = \"later\")]\npublic partial class Net { }");
            Assert.StartsWith("Layer 'conv1' (Conv2D) reads 'later', which is declared after it", d.Message());
        }

        [Fact]
        public void CG0033_MergeNamingItsSuccessor() =>
            Single("[Input(4, 8, 8)]\n[Concat(\"input\", {|CG0033:\"conv1\"|})]\n[Conv2D(4, 1)]\npublic partial class Net { }");

        [Theory]
        [InlineData("[Conv2D(4, 1, Name = \"a\", {|CG0034:From = \"a\"|})]")]
        [InlineData("[Add(\"input\", {|CG0034:\"add1\"|})]")]
        public void CG0034_SelfReference(string layer)
        {
            var d = Single("[Input(4, 8, 8)]\n" + layer + "\npublic partial class Net { }");
            Assert.EndsWith("reads its own output; name an earlier layer, or \"input\" for the network input", d.Message());
        }

        [Fact]
        public void CG0035_ReservedName()
        {
            var d = Single("[Input(4, 8, 8)]\n[Conv2D(4, 1, {|CG0035:Name = \"input\"|})]\npublic partial class Net { }");
            Assert.Equal("Layer name 'input' (Conv2D) is reserved for the network input (From = \"input\"); choose another name", d.Message());
        }

        [Fact]
        public void CG0036_LayerNeverRead_IsAWarning()
        {
            var d = Single(
                "[Input(4, 8, 8)]\n[{|CG0036:Conv2D(4, 3, Padding = 1)|}]\n[Conv2D(4, 1, From = \"input\")]\npublic partial class Net { }",
                DiagnosticSeverity.Warning);
            Assert.Equal("Layer 'conv1' (Conv2D) is computed but never read: no later layer reads it, and only the last layer is the network's output", d.Message());
        }

        [Fact]
        public void CG0037_FromOnAMerge()
        {
            var d = Single("[Input(4, 8, 8)]\n[Branch]\n[Conv2D(4, 1)]\n[Branch]\n[Add({|CG0037:From = \"input\"|})]\npublic partial class Net { }");
            Assert.Equal("Layer 'add1' (Add) merges the branches of its group, so From = \"input\" does not apply; remove it", d.Message());
        }

        [Fact]
        public void ExistingChecks_ReportTheLayerInsideABranch()
        {
            var d = Single("[Input(1, 8, 8)]\n[Branch]\n[Conv2D(4, 3)]\n[Branch]\n[MaxPool2D(4)]\n[{|CG0007:Conv2D(4, 3)|}]\n[Concat]\npublic partial class Net { }");
            Assert.Equal("Layer 'conv2' (Conv2D): the 3×3 kernel (dilated to 3×3) does not fit the input 1×2×2 padded to 2×2", d.Message());
        }

        [Fact]
        public void SeveralGraphProblems_AreAllReported() =>
            Reports(
                "[Input(4, 8, 8)]\n[Conv2D(4, 1, {|CG0035:Name = \"input\"|})]\n[Conv2D(4, 1, {|CG0032:From = \"x\"|})]\n" +
                "[{|CG0028:Add|}]\n[{|CG0027:Branch|}]\n[Conv2D(4, 1)]\npublic partial class Net { }");

        [Fact]
        public void ExtremeArguments_NeverThrow()
        {
            // int.MaxValue / int.MinValue everywhere: every path must report, none may throw (the harness fails on generator exceptions).
            foreach (var value in new[] { "int.MaxValue", "int.MinValue", "0", "1" })
            {
                var source = DiagnosticAssert.Usings + $"[Input({value}, {value}, {value}, ExpectedParameters = {value})]\n" +
                    $"[Conv2D({value}, {value}, Stride = {value}, Padding = {value}, Dilation = {value}, Groups = {value})]\n" +
                    $"[MaxPool2D({value}, Stride = {value}, Padding = {value}, CeilMode = true)]\n[GlobalAvgPool2D]\n[Flatten]\n[Dense({value})]\n" +
                    "public partial class Net { }";
                GeneratorHarness.Run(source);
            }

            GeneratorHarness.Run(DiagnosticAssert.Usings + "[Input(1, 46341, 46341)]\n[Conv2D(int.MaxValue, 46341, Padding = 1073741823, Dilation = 1073741823)]\npublic partial class Net { }");
            GeneratorHarness.Run(DiagnosticAssert.Usings + "[Input(1, 1, 1)]\n[Conv2D(1, 1, Padding = int.MaxValue, Stride = int.MaxValue)]\n[Conv2D(1, 3, Padding = int.MaxValue)]\npublic partial class Net { }");
        }

        [Fact]
        public void TwoInputAttributes_CompilerReportsCS0579_GeneratorStaysSilent()
        {
            var run = GeneratorHarness.Run(DiagnosticAssert.Usings + "[Input(1, 8, 8)]\n[Input(1, 8, 8)]\n[Flatten]\npublic partial class Net { }");
            Assert.Contains(run.CompilerErrors, d => d.Id == "CS0579");
            Assert.Empty(run.Diagnostics);
            Assert.Empty(run.Sources);
        }

        [Fact]
        public void TwoInputAttributes_OnTwoPartialDeclarations_NoDuplicateHintNameCrash()
        {
            var run = GeneratorHarness.Run(
                DiagnosticAssert.Usings + "[Input(1, 8, 8)]\n[Flatten]\npublic partial class Net { }",
                DiagnosticAssert.Usings + "[Input(1, 8, 8)]\npublic partial class Net { }");
            Assert.Contains(run.CompilerErrors, d => d.Id == "CS0579");
            Assert.Empty(run.Diagnostics);
        }

        [Fact]
        public void LayerWithCompilerErrors_IsLeftToTheCompiler()
        {
            var run = GeneratorHarness.Run(DiagnosticAssert.Usings + "[Input(1, 8, 8)]\n[Conv2D(\"four\", 3)]\npublic partial class Net { }");
            Assert.NotEmpty(run.CompilerErrors);
            Assert.Empty(run.Diagnostics);
        }

        [Fact]
        public void SeveralProblems_Snapshot()
        {
            var run = GeneratorHarness.Run(
                DiagnosticAssert.Usings +
                "[Input(1, 7, 7, ExpectedParameters = 100)]\n" +
                "[Conv2D(2, 3, Stride = 3, Name = \"stem\")]\n" +
                "[Flatten]\n" +
                "[Dense(10, Expect = \"12\")]\n" +
                "public partial class Net { }\n");
            Snapshot.VerifyDiagnostics(run);
        }

        [Fact]
        public void EveryCatalogueEntryHasADocPage()
        {
            var docs = System.IO.Path.Combine(RepositoryRoot(), "docs", "diagnostics");
            var readme = System.IO.File.ReadAllText(System.IO.Path.Combine(docs, "README.md"));
            foreach (var descriptor in Diagnostics.DiagnosticCatalog.All)
            {
                Assert.True(System.IO.File.Exists(System.IO.Path.Combine(docs, descriptor.Id + ".md")), "missing page for " + descriptor.Id);
                Assert.EndsWith("/docs/diagnostics/" + descriptor.Id + ".md", descriptor.HelpLinkUri);
                Assert.Contains("[" + descriptor.Id + "](" + descriptor.Id + ".md)", readme);
            }
        }

        private static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
            System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(file)!, "..", ".."));
    }
}
