using System;
using System.Linq;
using ConvGen.Serialization;

namespace ConvGen.Onnx.Tests
{
    /// <summary>ConvGen networks written as ONNX run in ONNX Runtime with ConvGen's outputs.</summary>
    public sealed class ExportTests
    {
        [Theory]
        [InlineData(1)]
        [InlineData(4)]
        public void LeNet5_OnnxRuntimeMatchesForward(int batch) =>
            AssertOnnxRuntimeMatches(new LeNet5(seed: 1), batch);

        [Theory]
        [InlineData(1)]
        [InlineData(4)]
        public void EveryLayerKind_OnnxRuntimeMatchesForward(int batch) =>
            AssertOnnxRuntimeMatches(WithBatchNormStatistics(new AllKinds(seed: 2)), batch);

        [Theory]
        [InlineData(1)]
        [InlineData(4)]
        public void GraphWithFromAndNamedMerges_OnnxRuntimeMatchesForward(int batch) =>
            AssertOnnxRuntimeMatches(new Ladder(seed: 4), batch);

        [Fact]
        public void CeilModePooling_OnnxRuntimeMatchesForward() => AssertOnnxRuntimeMatches(new PoolEdges(), 2);

        [Theory]
        [InlineData(1)]
        [InlineData(3)]
        public void ReLU6AndSwish_OnnxRuntimeMatchesForward(int batch) =>
            AssertOnnxRuntimeMatches(Amplified(new SixAndSwish(seed: 5)), batch);

        [Fact]
        public void ReLU6_IsClipToZeroAndSix_Swish_IsSigmoidThenMul()
        {
            using var folder = new TemporaryFolder();
            new SixAndSwish(seed: 5).SaveOnnx(folder.File("net.onnx"));
            var graph = OnnxFile.Read(folder.File("net.onnx")).Graph;

            Assert.Equal(
                new[] { "Conv", "Clip", "Sigmoid", "Mul", "Conv", "Clip", "Flatten", "Gemm", "Clip", "Sigmoid", "Mul" },
                graph.Node.Select(n => n.OpType));
            foreach (var clip in graph.Node.Where(n => n.OpType == "Clip"))
            {
                var bounds = clip.Input.Skip(1).Select(name => graph.Initializer.Single(i => i.Name == name).FloatData.Single());
                Assert.Equal(new[] { 0f, 6f }, bounds);
            }

            var swish = graph.Node.Where(n => n.OpType == "Mul").ToList();
            var sigmoids = graph.Node.Where(n => n.OpType == "Sigmoid").ToList();
            for (var i = 0; i < swish.Count; i++)
            {
                Assert.Equal(new[] { sigmoids[i].Input[0], sigmoids[i].Output[0] }, swish[i].Input);
            }
        }

        [Fact]
        public void ReLU6_ImportsBack_FusedWhereItWas()
        {
            using var folder = new TemporaryFolder();
            var net = new Clipped(seed: 6);
            net.SaveOnnx(folder.File("clipped.onnx"));
            var imported = ImportedNetwork.FromOnnx(folder.File("clipped.onnx"));

            AssertSameDescription(Clipped.Description, imported.Description);
            Assert.Equal(OnnxFile.Read(folder.File("clipped.onnx")), OnnxModelBuilder.Build(imported.Description, imported.Tensors, "Clipped"));
        }

        [Fact]
        public void ExportImportExport_GivesTheSameModel()
        {
            using var folder = new TemporaryFolder();
            WithBatchNormStatistics(new AllKinds(seed: 3)).SaveOnnx(folder.File("first.onnx"));
            var first = OnnxFile.Read(folder.File("first.onnx"));

            var imported = ImportedNetwork.FromOnnx(folder.File("first.onnx"));
            var second = OnnxModelBuilder.Build(imported.Description, imported.Tensors, "AllKinds");

            Assert.Equal(first.Graph.Node.Select(n => n.OpType), second.Graph.Node.Select(n => n.OpType));
            Assert.Equal(first, second);
        }

        [Fact]
        public void FailedWrite_LeavesThePreviousFile()
        {
            using var folder = new TemporaryFolder();
            var path = folder.File("net.onnx");
            new LeNet5(seed: 1).SaveOnnx(path);
            var before = System.IO.File.ReadAllBytes(path);

            var failure = Assert.Throws<System.IO.IOException>(() => AtomicFile.Write(path, stream =>
            {
                stream.Write(new byte[1000]);
                throw new System.IO.IOException("disk full");
            }));

            Assert.Equal("disk full", failure.Message);
            Assert.Equal(before, System.IO.File.ReadAllBytes(path));
            Assert.Single(System.IO.Directory.GetFiles(folder.Path));
        }

        /// <summary>The generator's description of each network is the one written by hand from its attributes.</summary>
        [Fact]
        public void GeneratedDescriptions_StateEveryLayerAsDeclared()
        {
            AssertSameDescription(HandDescriptions.LeNet5(), LeNet5.Description);
            AssertSameDescription(HandDescriptions.AllKinds(), AllKinds.Description);
            AssertSameDescription(HandDescriptions.Ladder(), Ladder.Description);
            AssertSameDescription(HandDescriptions.PoolEdges(), PoolEdges.Description);
        }

        [Fact]
        public void NetworkWithoutDescription_IsRefused()
        {
            var error = Assert.Throws<NotSupportedException>(() => new Fakes.UndescribedNetwork().SaveOnnx("never-written.onnx"));

            Assert.Contains("UndescribedNetwork does not describe its structure", error.Message);
            Assert.False(System.IO.File.Exists("never-written.onnx"));
        }

        internal static void AssertOnnxRuntimeMatches(INetwork net, int batch)
        {
            net.Threads = 1;
            using var folder = new TemporaryFolder();
            var path = folder.File("net.onnx");
            net.SaveOnnx(path);
            var description = ((IDescribedNetwork)net).Description;

            var input = Fixtures.Input(batch * net.InputLength, seed: batch);
            var actual = new float[batch * net.OutputLength];
            net.Forward(input, actual, batch);
            var expected = OnnxRuntimeReference.Run(path, input, batch, description.InputChannels, description.InputHeight, description.InputWidth);
            Tolerance.AssertClose(expected, actual, 1e-5, $"{net.GetType().Name} at batch {batch}");
        }

        private static void AssertSameDescription(NetworkDescription expected, NetworkDescription actual)
        {
            Assert.Equal(
                (expected.InputChannels, expected.InputHeight, expected.InputWidth),
                (actual.InputChannels, actual.InputHeight, actual.InputWidth));
            Assert.Equal(expected.Layers.Count, actual.Layers.Count);
            foreach (var (e, a) in expected.Layers.Zip(actual.Layers))
            {
                Assert.Equal(e.Inputs, a.Inputs);
                Assert.Equal(e.OutputShape, a.OutputShape);
                Assert.Equal(WithoutLists(e), WithoutLists(a));
            }
        }

        /// <summary>The layer with its list members replaced by one shared empty array, so that record equality compares the options.</summary>
        private static LayerDescription WithoutLists(LayerDescription layer) =>
            layer with { Inputs = Array.Empty<string>(), OutputShape = Array.Empty<int>() };

        /// <summary>Every weight times 8, so that ReLU6 clamps at 6 and Swish sees inputs below −1.28, where it decreases.</summary>
        private static T Amplified<T>(T net)
            where T : INetwork
        {
            foreach (var weight in net.Parameters.Where(p => p.Name.EndsWith(".weight", StringComparison.Ordinal)))
            {
                var values = weight.Values;
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] *= 8f;
                }
            }

            return net;
        }

        /// <summary>BatchNorm with non-trivial statistics and affine parameters, so that the ONNX BatchNormalization node matters.</summary>
        private static T WithBatchNormStatistics<T>(T net)
            where T : INetwork
        {
            var random = new Random(7);
            foreach (var tensor in net.Parameters.Concat(net.Buffers).Where(p => p.Name.StartsWith("bn", StringComparison.Ordinal)))
            {
                var values = tensor.Values;
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = tensor.Name.EndsWith("running_var", StringComparison.Ordinal) || tensor.Name.EndsWith("weight", StringComparison.Ordinal)
                        ? 0.5f + (float)random.NextDouble()
                        : (float)(random.NextDouble() - 0.5);
                }
            }

            return net;
        }
    }
}
