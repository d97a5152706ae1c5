using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Kernels;
using ConvGen.Tests.Networks;

namespace ConvGen.Tests
{
    /// <summary>
    /// Graph networks against PyTorch (tests/golden/graph_*.safetensors, made by make_graph_golden.py from torchvision's
    /// modules): torchvision's ResNet-18 and GoogLeNet at 3×64×64, a DenseNet block and a hand DAG. The weights are loaded by
    /// torchvision's state_dict names; the training-mode output and loss, every parameter gradient, ∂L/∂input and the
    /// BatchNorm running statistics, and the inference output, each within 1e-4 of the tensor's largest magnitude.
    /// The small networks run on every SIMD level with one and two threads; ResNet-18 and GoogLeNet on every level with one
    /// thread and on the widest level with two (the threading is the same code for every level).
    /// </summary>
    [Collection("Simd")]
    public sealed class GraphGoldenTests
    {
        private static readonly string[] Small = { "graph_densenet_block", "graph_hand_dag" };
        private static readonly string[] Large = { "graph_resnet18", "graph_googlenet" };

        public static IEnumerable<object[]> Cases()
        {
            var levels = TestData.Levels().ToList();
            var small = from file in Small from level in levels from threads in new[] { 1, 2 } select new object[] { file, level, threads };
            var large = from file in Large
                        from run in levels.Select(level => (level, threads: 1)).Append((level: levels[^1], threads: 2))
                        select new object[] { file, run.level, run.threads };
            return small.Concat(large);
        }

        public static IEnumerable<object[]> Files() => Small.Concat(Large).Select(file => new object[] { file });

        [Theory]
        [MemberData(nameof(Cases))]
        public void Training_step_matches_pytorch(string file, SimdLevel level, int threads)
        {
            var golden = GraphGolden.Load(file);
            var net = Create(golden);
            net.Threads = threads;
            net.Training = true;
            var batch = golden.Batch;
            var output = new float[batch * net.OutputLength];
            var outputGradient = new float[output.Length];
            var inputGradient = new float[batch * net.InputLength];
            float loss = 0;
            TestData.WithLevel(level, () =>
            {
                net.Forward(golden.Input, output, batch);
                loss = Losses.SoftmaxCrossEntropy(output, golden.Labels, batch, net.OutputLength, outputGradient);
                net.ZeroGradients();
                net.Backward(outputGradient, inputGradient, batch);
            });

            golden.AssertClose("output", output);
            golden.AssertClose("loss", new[] { loss });
            golden.AssertClose("grad.input", inputGradient);
            foreach (var parameter in net.Parameters)
            {
                golden.AssertClose("grad." + parameter.Name, parameter.Gradients.ToArray());
            }

            foreach (var buffer in net.Buffers)
            {
                golden.AssertClose("after." + buffer.Name, buffer.Values.ToArray());
            }
        }

        [Theory]
        [MemberData(nameof(Files))]
        public void Inference_matches_pytorch_eval(string file)
        {
            var golden = GraphGolden.Load(file);
            var net = Create(golden);
            var output = new float[golden.Batch * net.OutputLength];
            net.Forward(golden.Input, output, golden.Batch);
            golden.AssertClose("eval.output", output);
        }

        [Theory]
        [MemberData(nameof(Files))]
        public void Regenerated_weights_equal_the_python_generator(string file)
        {
            var golden = GraphGolden.Load(file);
            var shapes = golden.Parameters.Concat(golden.Buffers).ToDictionary(p => p.Key, p => p.Value);
            foreach (var (name, shape) in shapes)
            {
                var values = HashWeights.Tensor(name, shape, shapes);
                var sum = values.Sum(v => (double)v);
                var scale = values.Sum(v => Math.Abs((double)v));
                Assert.True(Math.Abs(sum - golden.WeightSums[name]) <= 1e-12 * scale, $"{file} {name}: sum {sum:R}, Python {golden.WeightSums[name]:R}");
            }
        }

        [Fact]
        public void Hash_weights_match_known_values()
        {
            // Published FNV-1a test vectors, and values make_graph_golden.generated_tensor prints for these names.
            Assert.Equal(0x811C9DC5u, HashWeights.Fnv1a(string.Empty));
            Assert.Equal(0xE40C292Cu, HashWeights.Fnv1a("a"));
            var shapes = new Dictionary<string, int[]> { ["conv1.weight"] = new[] { 2, 3, 3, 3 }, ["conv1.bias"] = new[] { 2 }, ["bn1.running_var"] = new[] { 2 } };
            Assert.Equal(new[] { 0.11555035412311554f, -0.0826445072889328f }, HashWeights.Tensor("conv1.weight", shapes["conv1.weight"], shapes).Take(2));
            Assert.Equal(new[] { 0.0202542245388031f, 0.007135577034205198f }, HashWeights.Tensor("conv1.bias", shapes["conv1.bias"], shapes));
            Assert.Equal(new[] { 0.7614343166351318f, 1.2145028114318848f }, HashWeights.Tensor("bn1.running_var", shapes["bn1.running_var"], shapes));
        }

        private static INetwork Create(GraphGolden golden)
        {
            INetwork net = golden.ClassName switch
            {
                nameof(GoldenResNet18) => new GoldenResNet18(),
                nameof(GoldenGoogLeNet) => new GoldenGoogLeNet(),
                nameof(GoldenDenseNetBlock) => new GoldenDenseNetBlock(),
                nameof(GoldenHandDag) => new GoldenHandDag(),
                _ => throw new ArgumentException(golden.ClassName),
            };
            golden.LoadWeights(net);
            return net;
        }
    }
}
