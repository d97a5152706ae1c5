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
            AssertOnnxRuntimeMatches(new LeNet5(seed: 1), HandDescriptions.LeNet5(), batch);

        [Theory]
        [InlineData(1)]
        [InlineData(4)]
        public void EveryLayerKind_OnnxRuntimeMatchesForward(int batch) =>
            AssertOnnxRuntimeMatches(WithBatchNormStatistics(new AllKinds(seed: 2)), HandDescriptions.AllKinds(), batch);

        [Theory]
        [InlineData(1)]
        [InlineData(4)]
        public void GraphWithFromAndNamedMerges_OnnxRuntimeMatchesForward(int batch) =>
            AssertOnnxRuntimeMatches(new Ladder(seed: 4), HandDescriptions.Ladder(), batch);

        [Fact]
        public void CeilModePooling_OnnxRuntimeMatchesForward() => AssertOnnxRuntimeMatches(new PoolEdges(), HandDescriptions.PoolEdges(), 2);

        [Fact]
        public void ExportImportExport_GivesTheSameModel()
        {
            var net = WithBatchNormStatistics(new AllKinds(seed: 3));
            var first = OnnxModelBuilder.Build(HandDescriptions.AllKinds(), Tensors(net), "AllKinds");
            using var folder = new TemporaryFolder();
            OnnxFile.Write(folder.File("first.onnx"), first);

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
            OnnxFile.Write(path, OnnxModelBuilder.Build(HandDescriptions.LeNet5(), Tensors(new LeNet5(seed: 1)), "LeNet5"));
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

        private static void AssertOnnxRuntimeMatches(INetwork net, NetworkDescription description, int batch)
        {
            net.Threads = 1;
            using var folder = new TemporaryFolder();
            var path = folder.File("net.onnx");
            OnnxFile.Write(path, OnnxModelBuilder.Build(description, Tensors(net), net.GetType().Name));

            var input = Fixtures.Input(batch * net.InputLength, seed: batch);
            var actual = new float[batch * net.OutputLength];
            net.Forward(input, actual, batch);
            var expected = OnnxRuntimeReference.Run(path, input, batch, description.InputChannels, description.InputHeight, description.InputWidth);
            Tolerance.AssertClose(expected, actual, 1e-5, $"{net.GetType().Name} at batch {batch}");
        }

        private static SafeTensor[] Tensors(INetwork net) =>
            net.Parameters.Concat(net.Buffers).Select(p => SafeTensor.FromFloats(p.Name, p.Shape, p.Values)).ToArray();

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
