using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using ConvGen.Kernels;
using ConvGen.Serialization;
using ConvGen.Tests.Networks;

namespace ConvGen.Tests
{
    /// <summary>
    /// Generated networks against PyTorch 1.13 (tests/golden, made by make_golden.py): outputs, losses, every gradient and
    /// the input gradient, BatchNorm running statistics, and SGD/Adam steps — each within 1e-4 of the tensor's largest magnitude.
    /// </summary>
    [Collection("Simd")]
    public sealed class GoldenTests
    {
        private const double Tolerance = 1e-4;

        public static IEnumerable<object[]> Cases() =>
            from level in TestData.Levels()
            from file in new[] { "lenet5", "conv_stride_pad", "conv_dilation_groups", "conv_same_rect", "pooling", "pooling_edges", "softmax_tail", "softmax_fused", "batchnorm", "activations" }
            select new object[] { file, level };

        [Theory]
        [MemberData(nameof(Cases))]
        public void Outputs_losses_and_gradients_match_pytorch(string file, SimdLevel level)
        {
            var golden = Golden.Load(file);
            var net = golden.CreateNetwork();
            net.Training = true;
            var batch = golden.Batch;
            var output = new float[batch * net.OutputLength];
            var inputGradient = new float[batch * net.InputLength];
            var outputGradient = new float[output.Length];
            float loss = 0;
            TestData.WithLevel(level, () =>
            {
                net.Forward(golden.Floats("input"), output, batch);
                loss = golden.LossGradient(output, outputGradient);
                net.ZeroGradients();
                net.Backward(outputGradient, inputGradient, batch);
            });

            golden.AssertClose("output", output);
            golden.AssertClose("loss", new[] { loss });
            golden.AssertClose("grad.input", inputGradient);
            foreach (var parameter in net.Parameters)
            {
                golden.AssertTensor("grad.", parameter.Name, parameter.Gradients.ToArray());
            }

            foreach (var buffer in net.Buffers)
            {
                golden.AssertClose("after." + buffer.Name, buffer.Values.ToArray());
            }
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public void TrainStep_gradients_match_pytorch(string file, SimdLevel level)
        {
            // TrainStep takes the fused path: cross-entropy straight from the logits, or from the probabilities of a
            // trailing softmax. A zero learning rate leaves the weights, so the gradients can be compared.
            var golden = Golden.Load(file);
            var net = golden.CreateNetwork();
            float loss = 0;
            TestData.WithLevel(level, () => loss = net.TrainStep(golden.Floats("input"), golden.Labels, golden.Batch, new Sgd(learningRate: 0f)));
            golden.AssertClose("loss", new[] { loss });
            foreach (var parameter in net.Parameters)
            {
                golden.AssertTensor("grad.", parameter.Name, parameter.Gradients.ToArray());
            }

            Assert.False(net.Training, "TrainStep restores the inference mode it found");
        }

        [Fact]
        public void Inference_with_running_statistics_matches_pytorch_eval()
        {
            var golden = Golden.Load("batchnorm");
            var net = golden.CreateNetwork();
            var output = new float[golden.Batch * net.OutputLength];
            net.Forward(golden.Floats("input"), output, golden.Batch);
            golden.AssertClose("eval.output", output);
        }

        [Theory]
        [InlineData("sgd")]
        [InlineData("adam")]
        public void Two_optimizer_steps_match_pytorch(string optimizerName)
        {
            var golden = Golden.Load("lenet5");
            var net = golden.CreateNetwork();
            Optimizer optimizer = optimizerName == "sgd" ? new Sgd(learningRate: 0.01f, momentum: 0.9f) : new Adam(learningRate: 1e-3f);
            var input = golden.Floats("input");
            var first = net.TrainStep(input, golden.Labels, golden.Batch, optimizer);
            golden.AssertClose(optimizerName + ".loss", new[] { first });
            golden.AssertParameters(net, optimizerName + ".", optimizerName == "adam");
            var second = net.TrainStep(input, golden.Labels, golden.Batch, optimizer);
            golden.AssertClose(optimizerName + "2.loss", new[] { second });
            golden.AssertParameters(net, optimizerName + "2.", optimizerName == "adam");
        }

        /// <summary>One golden file and the network it describes.</summary>
        private sealed class Golden
        {
            private readonly IReadOnlyDictionary<string, SafeTensor> _tensors;
            private readonly HashSet<string> _nearZero;
            private readonly string _file;

            private Golden(string file)
            {
                _file = file;
                _tensors = SafeTensorsFile.Read(Path.Combine(TestData.GoldenFolder(), file + ".safetensors"), out var metadata);
                Batch = int.Parse(metadata["batch"]);
                FromProbabilities = metadata["loss_kind"] == "probabilities";
                _nearZero = metadata.TryGetValue("near_zero", out var list) ? JsonSerializer.Deserialize<string[]>(list)!.ToHashSet() : new HashSet<string>();
                Labels = _tensors["labels"].ToInt32Array();
            }

            public int Batch { get; }

            public bool FromProbabilities { get; }

            public int[] Labels { get; }

            public static Golden Load(string file) => new(file);

            public float[] Floats(string name) => _tensors[name].ToFloatArray();

            public INetwork CreateNetwork()
            {
                INetwork net = _file switch
                {
                    "lenet5" => new LeNet5(),
                    "conv_stride_pad" => new GoldenConvStridePad(),
                    "conv_dilation_groups" => new GoldenConvDilationGroups(),
                    "conv_same_rect" => new GoldenConvSameRect(),
                    "pooling" => new GoldenPooling(),
                    "pooling_edges" => new GoldenPoolingEdges(),
                    "softmax_tail" => new GoldenSoftmaxTail(),
                    "softmax_fused" => new GoldenSoftmaxFused(),
                    "batchnorm" => new GoldenBatchNorm(),
                    "activations" => new GoldenActivations(),
                    _ => throw new ArgumentException(_file),
                };
                foreach (var tensor in net.Parameters.Concat(net.Buffers))
                {
                    var values = tensor.Name == "dense1.weight" && _file == "lenet5"
                        ? HashWeights.Uniform(tensor.Length, 1001)
                        : Floats(tensor.Name);
                    values.CopyTo(tensor.Values);
                }

                if (_file == "lenet5")
                {
                    AssertClose("dense1.weight.rows64", Rows64(net.Parameters["dense1.weight"].Values.ToArray(), 2450));
                }

                return net;
            }

            /// <summary>The loss PyTorch computed, and ∂L/∂output for Backward (through the softmax when the loss reads probabilities).</summary>
            public float LossGradient(float[] output, float[] gradient)
            {
                var classes = output.Length / Batch;
                if (!FromProbabilities)
                {
                    return Losses.SoftmaxCrossEntropy(output, Labels, Batch, classes, gradient);
                }

                Array.Clear(gradient);
                double loss = 0;
                for (var n = 0; n < Batch; n++)
                {
                    var p = output[(n * classes) + Labels[n]];
                    loss -= Math.Log(p);
                    gradient[(n * classes) + Labels[n]] = -1f / (Batch * p);
                }

                return (float)(loss / Batch);
            }

            public void AssertClose(string name, float[] actual)
            {
                var expected = Floats(name);
                Assert.Equal(expected.Length, actual.Length);
                var limit = _nearZero.Contains(name) ? 1e-6 : Tolerance * Math.Max(expected.Max(v => Math.Abs(v)), 1e-30);
                var worst = Enumerable.Range(0, actual.Length).MaxBy(i => Math.Abs(actual[i] - expected[i]));
                var error = Math.Abs(actual[worst] - expected[worst]);
                Assert.True(error <= limit, $"{_file} {name}[{worst}] = {actual[worst]}, PyTorch {expected[worst]} (error {error:E2} > {limit:E2})");
            }

            /// <summary>Compares <paramref name="prefix"/> + <paramref name="name"/>, by its sampled rows where the file stores only those.</summary>
            public void AssertTensor(string prefix, string name, float[] values)
            {
                if (_file == "lenet5" && name == "dense1.weight")
                {
                    AssertClose(prefix + name + ".rows64", Rows64(values, 2450));
                    return;
                }

                AssertClose(prefix + name, values);
            }

            /// <summary>After an optimizer step: every parameter (LeNet's dense1 by its sampled rows) equals PyTorch's.</summary>
            public void AssertParameters(INetwork net, string prefix, bool adam)
            {
                foreach (var parameter in net.Parameters)
                {
                    var values = parameter.Values.ToArray();
                    var name = parameter.Name;
                    if (name == "dense1.weight")
                    {
                        values = Rows64(values, 2450);
                        name += ".rows64";
                    }

                    if (adam)
                    {
                        // Adam moves a weight by ≈ ±lr whatever |g|; where PyTorch's gradient is float noise (|g| < 1e-6)
                        // the sign is arbitrary, so those elements are not compared (see tests/golden/README.md).
                        var gradient = Floats("grad." + name);
                        var expected = Floats(prefix + name);
                        for (var i = 0; i < values.Length; i++)
                        {
                            if (Math.Abs(gradient[i]) < 1e-6f)
                            {
                                values[i] = expected[i];
                            }
                        }
                    }

                    AssertClose(prefix + name, values);
                }
            }

            private static float[] Rows64(float[] matrix, int columns) =>
                Enumerable.Range(0, 8).SelectMany(r => matrix.Skip(r * 64 * columns).Take(columns)).ToArray();
        }
    }
}
