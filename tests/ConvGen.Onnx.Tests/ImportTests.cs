using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using ConvGen.Onnx.Protobuf;

namespace ConvGen.Onnx.Tests
{
    /// <summary>PyTorch-exported ONNX files → <c>convgen import</c> → declaration (snapshot) → compiled network equal to ONNX Runtime.</summary>
    public sealed class ImportTests
    {
        private const string Namespace = "ConvGen.Imported";

        [Fact]
        public void Chain() => AssertImportMatchesOnnxRuntime("chain.onnx", "Chain", 3, 16, 16);

        [Fact]
        public void ResNet18Narrow() => AssertImportMatchesOnnxRuntime("resnet18_narrow.onnx", "ResNet18Narrow", 3, 64, 64);

        [Fact]
        public void GoogLeNetNarrow() => AssertImportMatchesOnnxRuntime("googlenet_narrow.onnx", "GoogLeNetNarrow", 3, 64, 64);

        [Fact]
        public void AsymmetricPadsEqualToSame_BecomePaddingModeSame()
        {
            // features.4 reads 8x8 with a 3x3 kernel at stride 2: Same padding puts 0 before and 1 after on both axes.
            var model = Fixtures.Model("chain.onnx");
            SetPads(model, "/features/features.4/Conv", 0, 0, 1, 1);
            using var folder = new TemporaryFolder();
            OnnxFile.Write(folder.File("same.onnx"), model);

            var declaration = AssertImportMatchesOnnxRuntime(folder.File("same.onnx"), "ChainSame", 3, 16, 16, snapshot: false);

            Assert.Contains("[Conv2D(12, 3, Stride = 2, PaddingMode = PaddingMode.Same, Name = \"features.4\"", declaration);
        }

        [Fact]
        public void GraphWithoutGroupStructure_IsDeclaredWithFromAndNamedMerges()
        {
            using var folder = new TemporaryFolder();
            new Ladder(seed: 5).SaveOnnx(folder.File("ladder.onnx"));

            AssertImportMatchesOnnxRuntime(folder.File("ladder.onnx"), "LadderImported", 2, 6, 6);
        }

        [Fact]
        public void ReshapeToBatchByMinusOneAndIdentity_ImportAsTheSameNetwork()
        {
            var original = OnnxImporter.Import(Fixtures.Model("chain.onnx"), "chain.onnx");
            var model = Fixtures.Model("chain.onnx");
            var graph = model.Graph;

            // x.view(x.size(0), -1) exported with a fixed batch: Reshape to the constant [1, -1] instead of Flatten.
            var flatten = graph.Node.Single(n => n.OpType == "Flatten");
            flatten.OpType = "Reshape";
            flatten.Attribute.Clear();
            flatten.Input.Add("flat_shape");
            graph.Initializer.Add(new TensorProto { Name = "flat_shape", DataType = (int)TensorProto.Types.DataType.Int64, Dims = { 2 }, Int64Data = { 1, -1 } });

            // An Identity between Tanh and the pooling's Pad.
            var pad = graph.Node.Single(n => n.OpType == "Pad");
            var identity = new NodeProto { OpType = "Identity", Name = "/identity", Input = { pad.Input[0] }, Output = { "identity_output" } };
            pad.Input[0] = "identity_output";
            graph.Node.Insert(graph.Node.IndexOf(pad), identity);

            var imported = OnnxImporter.Import(model, "chain.onnx");

            Assert.Equal(original.Declaration("Chain"), imported.Declaration("Chain"));
        }

        [Fact]
        public void Cli_WritesTheDeclarationAndWeights()
        {
            using var folder = new TemporaryFolder();

            var exit = ConvGen.Cli.Program.Main(new[] { "import", Fixtures.Path("chain.onnx"), "--class", "Chain", "--namespace", Namespace, "--out", folder.Path });

            Assert.Equal(0, exit);
            Assert.Equal(new[] { "Chain.cs", "Chain.safetensors" }, Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order());
            Assert.Equal(ImportedNetwork.FromOnnx(Fixtures.Path("chain.onnx")).Declaration("Chain", Namespace), File.ReadAllText(folder.File("Chain.cs")));
        }

        internal static void SetPads(ModelProto model, string node, params long[] pads)
        {
            var attribute = model.Graph.Node.Single(n => n.Name == node).Attribute.Single(a => a.Name == "pads");
            attribute.Ints.Clear();
            attribute.Ints.AddRange(pads);
        }

        /// <summary>
        /// Imports, checks the declaration's snapshot, compiles it, loads the weights and compares with ONNX Runtime at batch 1 and 3;
        /// then exports the compiled network (ONNX Runtime on that file equals its Forward at batch 1 and 4) and imports the export
        /// again, which must give the same declaration.
        /// </summary>
        private static string AssertImportMatchesOnnxRuntime(
            string file, string className, int channels, int height, int width, bool snapshot = true, [CallerMemberName] string method = "")
        {
            var path = Path.IsPathRooted(file) ? file : Fixtures.Path(file);
            using var folder = new TemporaryFolder();
            var (source, weights) = ImportedNetwork.FromOnnx(path).WriteFiles(folder.Path, className, Namespace);
            var declaration = File.ReadAllText(source);
            if (snapshot)
            {
                Snapshot.Verify(declaration, "cs", method: method);
            }

            using var compiled = InMemoryNetwork.Compile(declaration);
            var net = compiled.Create(Namespace + "." + className);
            net.Load(weights);
            net.Threads = 1;
            foreach (var batch in new[] { 1, 3 })
            {
                var input = Fixtures.Input(batch * channels * height * width, seed: batch);
                var actual = new float[batch * net.OutputLength];
                net.Forward(input, actual, batch);
                Tolerance.AssertClose(OnnxRuntimeReference.Run(path, input, batch, channels, height, width), actual, 1e-4, $"{className} at batch {batch}");
            }

            ExportTests.AssertOnnxRuntimeMatches(net, 1);
            ExportTests.AssertOnnxRuntimeMatches(net, 4);
            using var again = new TemporaryFolder();
            var exported = Path.Combine(again.Path, Path.GetFileName(path));
            net.SaveOnnx(exported);
            Assert.Equal(declaration, ImportedNetwork.FromOnnx(exported).Declaration(className, Namespace));
            return declaration;
        }
    }
}
