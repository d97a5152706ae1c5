using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConvGen;
using ConvGen.Runtime.Tests.Fakes;
using ConvGen.Serialization;

namespace ConvGen.Runtime.Tests.SafeTensors
{
    public class NetworkSerializationTests
    {
        [Fact]
        public void Save_then_Load_restores_parameters_and_buffers()
        {
            using var folder = new TemporaryFolder();
            var path = folder.File("net.safetensors");
            var saved = new LinearClassifier(inputs: 4, classes: 3, seed: 1);
            saved.Buffers["norm.running_mean"].Values.Fill(0.75f);
            saved.Save(path);

            var tensors = SafeTensorsFile.Read(path);
            Assert.Equal(new[] { 3, 4 }, tensors["fc.weight"].Shape);
            Assert.Equal(new[] { 3 }, tensors["fc.bias"].Shape);
            Assert.Equal(SafeTensorDType.F32, tensors["norm.running_mean"].DType);

            var loaded = new LinearClassifier(inputs: 4, classes: 3, seed: 2);
            Assert.NotEqual(saved.ParameterValues.ToArray(), loaded.ParameterValues.ToArray());
            loaded.Load(path);
            Assert.Equal(saved.ParameterValues.ToArray(), loaded.ParameterValues.ToArray());
            Assert.Equal(saved.Buffers[0].Values.ToArray(), loaded.Buffers[0].Values.ToArray());
        }

        [Fact]
        public void Float64_tensors_are_accepted_and_converted()
        {
            using var folder = new TemporaryFolder();
            var path = folder.File("net.safetensors");
            var network = new LinearClassifier(inputs: 1, classes: 2);
            SafeTensorsFile.Write(path, new[]
            {
                Float64("fc.weight", new[] { 2, 1 }, 0.5, -1.5),
                Float64("fc.bias", new[] { 2 }, 1.0 / 3.0, 2),
                Float64("norm.running_mean", new[] { 2 }, 7, 8),
            });
            network.Load(path);
            Assert.Equal(new[] { 0.5f, -1.5f, (float)(1.0 / 3.0), 2f }, network.ParameterValues.ToArray());
            Assert.Equal(new[] { 7f, 8f }, network.Buffers[0].Values.ToArray());
        }

        [Fact]
        public void Any_mismatch_lists_every_difference_and_changes_nothing()
        {
            using var folder = new TemporaryFolder();
            var path = folder.File("net.safetensors");
            SafeTensorsFile.Write(path, new[]
            {
                SafeTensor.FromFloats("fc.weight", new[] { 3, 5 }, new float[15]),
                SafeTensor.FromInt64s("fc.bias", new[] { 3 }, new long[3]),
                SafeTensor.FromFloats("fc2.weight", new[] { 1 }, new float[1]),
            });
            var network = new LinearClassifier(inputs: 4, classes: 3);
            var parameters = network.ParameterValues.ToArray();
            var buffers = network.Buffers[0].Values.ToArray();

            var exception = Assert.Throws<InvalidDataException>(() => network.Load(path));
            Assert.StartsWith($"'{path}' does not match the network (4 differences); nothing was loaded", exception.Message);
            Assert.Contains("strict: false", exception.Message);
            Assert.Contains("'fc.weight' has shape [3, 5] in the file but [3, 4] in the network", exception.Message);
            Assert.Contains("'fc.bias' has dtype I64", exception.Message);
            Assert.Contains("'norm.running_mean' [3] is missing", exception.Message);
            Assert.Contains("'fc2.weight' is in the file but not in the network", exception.Message);
            Assert.Equal(parameters, network.ParameterValues.ToArray());
            Assert.Equal(buffers, network.Buffers[0].Values.ToArray());
        }

        [Fact]
        public void A_single_wrong_tensor_blocks_loading_the_matching_ones()
        {
            using var folder = new TemporaryFolder();
            var path = folder.File("net.safetensors");
            var source = new LinearClassifier(inputs: 2, classes: 2, seed: 9);
            SafeTensorsFile.Write(path, new[]
            {
                SafeTensor.FromFloats("fc.weight", source.Parameters[0].Shape, source.Parameters[0].Values),
                SafeTensor.FromFloats("fc.bias", source.Parameters[1].Shape, source.Parameters[1].Values),
                SafeTensor.FromFloats("norm.running_mean", new[] { 1, 2 }, new float[2]),
            });
            var network = new LinearClassifier(inputs: 2, classes: 2, seed: 1);
            var before = network.ParameterValues.ToArray();
            var exception = Assert.Throws<InvalidDataException>(() => network.Load(path));
            Assert.Contains("1 difference)", exception.Message);
            Assert.Equal(before, network.ParameterValues.ToArray());
        }

        [Fact]
        public void Saving_over_an_existing_file_replaces_it()
        {
            using var folder = new TemporaryFolder();
            var path = folder.File("net.safetensors");
            new LinearClassifier(2, 2, seed: 1).Save(path);
            var second = new LinearClassifier(2, 2, seed: 2);
            second.Save(path, new Dictionary<string, string> { ["epoch"] = "3" });
            SafeTensorsFile.Read(path, out var metadata);
            Assert.Equal("3", metadata["epoch"]);
            var check = new LinearClassifier(2, 2, seed: 3);
            check.Load(path);
            Assert.Equal(second.ParameterValues.ToArray(), check.ParameterValues.ToArray());
            Assert.Equal(new[] { path }, Directory.GetFiles(folder.Path));
        }

        [Fact]
        public void A_PyTorch_state_dict_in_half_precision_with_a_batch_counter_loads_strictly()
        {
            var path = RepositoryPaths.Combine("tests", "ConvGen.Runtime.Tests", "SafeTensors", "reference-state-dict.safetensors");
            var network = new LinearClassifier(inputs: 2, classes: 3);

            var report = network.Load(path);

            // The values numpy's float16 and bfloat16 rounding (make-reference.py) give, widened to float32.
            Assert.Equal(new[] { 0.0999755859375f, -0.5f, 0.333251953125f, 2f, -65504f, 5.960464477539063e-08f }, network.Parameters["fc.weight"].Values.ToArray());
            Assert.Equal(new[] { 0.10009765625f, -3.00405527047391e+38f, 0.333984375f }, network.Parameters["fc.bias"].Values.ToArray());
            Assert.Equal(new[] { 0.25f, -1.5f, 3f }, network.Buffers["norm.running_mean"].Values.ToArray());
            Assert.Equal(new[] { "fc.weight", "fc.bias", "norm.running_mean" }, report.Loaded);
            Assert.Equal(new[] { "norm.num_batches_tracked" }, report.Ignored);
            Assert.Empty(report.NotLoaded);
            Assert.Empty(report.Unused);
            Assert.Empty(report.Differences);
            Assert.Equal("loaded 3 tensors, ignored 1; 0 differences", report.ToString());
        }

        [Fact]
        public void A_batch_counter_must_belong_to_a_BatchNorm_and_be_an_integer_scalar()
        {
            using var folder = new TemporaryFolder();
            var path = folder.File("net.safetensors");
            var source = new LinearClassifier(inputs: 2, classes: 2, seed: 9);
            SafeTensorsFile.Write(path, source.Parameters.Concat(source.Buffers).Select(p => SafeTensor.FromFloats(p.Name, p.Shape, p.Values)).Concat(new[]
            {
                SafeTensor.FromInt64s("fc.num_batches_tracked", Array.Empty<int>(), new[] { 5L }),
                SafeTensor.FromFloats("norm.num_batches_tracked", new[] { 1 }, new[] { 5f }),
            }));
            var network = new LinearClassifier(inputs: 2, classes: 2, seed: 1);
            var before = network.ParameterValues.ToArray();

            var exception = Assert.Throws<InvalidDataException>(() => network.Load(path));

            Assert.Contains("(2 differences)", exception.Message);
            Assert.Contains("'fc.num_batches_tracked' is in the file but not in the network", exception.Message);
            Assert.Contains("'norm.num_batches_tracked' is F32 [1] in the file; BatchNorm's batch counter should be an I64 scalar", exception.Message);
            Assert.Equal(before, network.ParameterValues.ToArray());
        }

        [Fact]
        public void A_non_strict_load_sets_the_matching_tensors_and_reports_the_rest()
        {
            using var folder = new TemporaryFolder();
            var path = folder.File("net.safetensors");
            SafeTensorsFile.Write(path, new[]
            {
                SafeTensor.FromFloats("fc.weight", new[] { 3, 2 }, new float[] { 1, 2, 3, 4, 5, 6 }),
                SafeTensor.FromFloats("fc.bias", new[] { 4 }, new float[4]),
                SafeTensor.FromFloats("head.weight", new[] { 1 }, new float[1]),
            });
            var network = new LinearClassifier(inputs: 2, classes: 3);
            var bias = network.Parameters["fc.bias"].Values.ToArray();
            var mean = network.Buffers["norm.running_mean"].Values.ToArray();

            var report = network.Load(path, strict: false);

            Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, network.Parameters["fc.weight"].Values.ToArray());
            Assert.Equal(bias, network.Parameters["fc.bias"].Values.ToArray());
            Assert.Equal(mean, network.Buffers["norm.running_mean"].Values.ToArray());
            Assert.Equal(new[] { "fc.weight" }, report.Loaded);
            Assert.Equal(new[] { "fc.bias", "norm.running_mean" }, report.NotLoaded);
            Assert.Equal(new[] { "fc.bias", "head.weight" }, report.Unused);
            Assert.Empty(report.Ignored);
            Assert.Equal(
                new[]
                {
                    "'fc.bias' has shape [4] in the file but [3] in the network",
                    "'norm.running_mean' [3] is missing from the file",
                    "'head.weight' is in the file but not in the network",
                },
                report.Differences);
            Assert.StartsWith("loaded 1 tensor, ignored 0; 3 differences:", report.ToString());
        }

        private static SafeTensor Float64(string name, int[] shape, params double[] values)
        {
            var data = new byte[values.Length * 8];
            for (var i = 0; i < values.Length; i++)
            {
                BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(i * 8), values[i]);
            }

            return new SafeTensor(name, SafeTensorDType.F64, shape, data);
        }
    }
}
