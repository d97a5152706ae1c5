using System;
using System.IO;
using System.Linq;
using ConvGen.Onnx.Protobuf;
using Google.Protobuf;

namespace ConvGen.Onnx.Tests
{
    /// <summary>Models ConvGen cannot import give one clear error naming what is wrong, and <c>convgen import</c> writes nothing.</summary>
    public sealed class ImportErrorTests
    {
        [Fact]
        public void TruncatedFile()
        {
            using var folder = new TemporaryFolder();
            var bytes = File.ReadAllBytes(Fixtures.Path("chain.onnx"));
            File.WriteAllBytes(folder.File("cut.onnx"), bytes.AsSpan(0, bytes.Length * 2 / 3).ToArray());

            var error = AssertNothingWritten(folder, "cut.onnx");

            Assert.Contains("is not a valid ONNX model (truncated or not a protobuf file)", error);
        }

        [Fact]
        public void ClipOtherThanReLU6_NamesItsBounds()
        {
            using var folder = new TemporaryFolder();
            new Clipped(seed: 1).SaveOnnx(folder.File("clipped.onnx"));
            var model = OnnxFile.Read(folder.File("clipped.onnx"));
            var clip = model.Graph.Node.First(n => n.OpType == "Clip");
            model.Graph.Initializer.Single(i => i.Name == clip.Input[2]).FloatData[0] = 1f;

            var error = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(model, "clipped.onnx"));

            Assert.Equal(new[] { new UnsupportedNode("Clip", clip.Name, "it clips to [0, 1]; ConvGen clips only as ReLU6, to [0, 6]") }, error.Nodes);
        }

        [Fact]
        public void Swish_IsNotReadBack_EachMulIsNamed()
        {
            using var folder = new TemporaryFolder();
            new SixAndSwish(seed: 1).SaveOnnx(folder.File("swish.onnx"));
            var model = OnnxFile.Read(folder.File("swish.onnx"));

            var error = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(model, "swish.onnx"));

            Assert.Equal(
                new[] { new UnsupportedNode("Mul", "swish1", "ConvGen has no layer for this operator"), new UnsupportedNode("Mul", "swish2", "ConvGen has no layer for this operator") },
                error.Nodes);
        }

        [Fact]
        public void UnknownOperators_AreListedTogether()
        {
            var model = Fixtures.Model("chain.onnx");
            model.Graph.Node.Single(n => n.Name == "/features/features.5/LeakyRelu").OpType = "Mish";
            model.Graph.Node.Single(n => n.Name == "/classifier/classifier.3/Sigmoid").OpType = "HardSwish";

            var error = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(model, "chain.onnx"));

            Assert.Equal(
                new[]
                {
                    new UnsupportedNode("Mish", "/features/features.5/LeakyRelu", "ConvGen has no layer for this operator"),
                    new UnsupportedNode("HardSwish", "/classifier/classifier.3/Sigmoid", "ConvGen has no layer for this operator"),
                },
                error.Nodes);
            Assert.Contains("2 nodes ConvGen cannot express (nothing was written)", error.Message);
        }

        [Fact]
        public void UnknownOperator_WritesNothing()
        {
            var model = Fixtures.Model("chain.onnx");
            model.Graph.Node.Single(n => n.Name == "/features/features.7/Tanh").OpType = "Resize";
            using var folder = new TemporaryFolder();
            OnnxFile.Write(folder.File("resize.onnx"), model);

            var error = AssertNothingWritten(folder, "resize.onnx");

            Assert.Contains("Resize '/features/features.7/Tanh': ConvGen has no layer for this operator", error);
        }

        [Fact]
        public void DynamicSpatialShape()
        {
            var model = Fixtures.Model("chain.onnx");
            model.Graph.Input[0].Type.TensorType.Shape.Dim[2] = new TensorShapeProto.Types.Dimension { DimParam = "H" };

            var error = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(model, "chain.onnx"));

            Assert.Contains("input 'input' has a symbolic height ('H')", error.Message);
            Assert.Contains("C, H and W must be fixed", error.Message);
        }

        [Fact]
        public void WrongInitializerSize()
        {
            var model = Fixtures.Model("chain.onnx");
            var weight = model.Graph.Initializer.Single(i => i.Name == "features.4.weight");
            weight.RawData = ByteString.CopyFrom(weight.RawData.Span.Slice(4));

            var error = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(model, "chain.onnx"));

            Assert.Equal(
                "Initializer 'features.4.weight' has 3452 bytes but its dims [12, 8, 3, 3] need 3456; the file is damaged or inconsistent.",
                error.Message);
        }

        [Fact]
        public void UnevenPadsThatAreNotSame()
        {
            var model = Fixtures.Model("chain.onnx");
            ImportTests.SetPads(model, "/features/features.4/Conv", 1, 0, 0, 1);

            var error = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(model, "chain.onnx"));

            Assert.Equal(
                "Conv '/features/features.4/Conv': pads (top 1, left 0, bottom 0, right 1) are neither equal on every side nor ConvGen's Same padding for a 8×8 input",
                Assert.Single(error.Nodes).ToString());
        }

        /// <summary>Runs <c>convgen import</c> on <paramref name="file"/> in <paramref name="folder"/>; it must fail and add no file. Returns its error output.</summary>
        private static string AssertNothingWritten(TemporaryFolder folder, string file)
        {
            var before = Directory.GetFiles(folder.Path).Order().ToArray();
            var error = new StringWriter();
            var original = Console.Error;
            Console.SetError(error);
            try
            {
                Assert.Equal(1, ConvGen.Cli.Program.Main(new[] { "import", folder.File(file), "--class", "Net", "--out", folder.Path }));
            }
            finally
            {
                Console.SetError(original);
            }

            Assert.Equal(before, Directory.GetFiles(folder.Path).Order().ToArray());
            return error.ToString();
        }
    }
}
