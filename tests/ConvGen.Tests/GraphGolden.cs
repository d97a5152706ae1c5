using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using ConvGen.Serialization;

namespace ConvGen.Tests
{
    /// <summary>
    /// One tests/golden/graph_*.safetensors file (made by make_graph_golden.py): the network's parameter names and shapes,
    /// its input and labels, and the float64 results of PyTorch, large tensors by a sample of entries and their statistics.
    /// </summary>
    internal sealed class GraphGolden
    {
        /// <summary>Relative tolerance, as for every golden: 1e-4 of the tensor's largest magnitude.</summary>
        public const double Tolerance = 1e-4;

        /// <summary>
        /// Where PyTorch's own float32 run is further than <see cref="Tolerance"/>/<see cref="ConditioningFactor"/> from the
        /// float64 values (an ill-conditioned tensor: training-mode BatchNorm over few values), the bound is this many times
        /// PyTorch's float32 error instead (tests/golden/README.md).
        /// </summary>
        public const double ConditioningFactor = 5;

        private const int SampleCount = 2048;

        private readonly IReadOnlyDictionary<string, SafeTensor> _tensors;
        private readonly IReadOnlyDictionary<string, double> _float32Error;
        private readonly HashSet<string> _sampled;

        private GraphGolden(string file)
        {
            File = file;
            _tensors = SafeTensorsFile.Read(Path.Combine(TestData.GoldenFolder(), file + ".safetensors"), out var metadata);
            Batch = int.Parse(metadata["batch"]);
            ClassName = metadata["class_name"];
            Parameters = JsonSerializer.Deserialize<Dictionary<string, int[]>>(metadata["parameters"])!;
            Buffers = JsonSerializer.Deserialize<Dictionary<string, int[]>>(metadata["buffers"])!;
            WeightSums = JsonSerializer.Deserialize<Dictionary<string, double>>(metadata["weight_sums"])!;
            _float32Error = JsonSerializer.Deserialize<Dictionary<string, double>>(metadata["float32_error"])!;
            _sampled = JsonSerializer.Deserialize<string[]>(metadata["sampled"])!.ToHashSet();
            Labels = _tensors["labels"].ToInt32Array();
        }

        public string File { get; }

        public int Batch { get; }

        /// <summary>The C# class the file's declaration declares (tests/ConvGen.Tests/Networks/&lt;ClassName&gt;.cs).</summary>
        public string ClassName { get; }

        /// <summary>torchvision's trainable state_dict entries: name → shape.</summary>
        public IReadOnlyDictionary<string, int[]> Parameters { get; }

        /// <summary>The BatchNorm running statistics: name → shape.</summary>
        public IReadOnlyDictionary<string, int[]> Buffers { get; }

        /// <summary>Exactly rounded sum of each generated tensor, to check <see cref="HashWeights.Tensor"/> against Python.</summary>
        public IReadOnlyDictionary<string, double> WeightSums { get; }

        public int[] Labels { get; }

        public float[] Input => _tensors["input"].ToFloatArray();

        public static GraphGolden Load(string file) => new(file);

        /// <summary>Every parameter and buffer of <paramref name="net"/> set from its name, after checking the names and shapes are torchvision's.</summary>
        public void LoadWeights(INetwork net)
        {
            AssertSameTensors("parameters", Parameters, net.Parameters);
            AssertSameTensors("buffers", Buffers, net.Buffers);
            var shapes = Parameters.Concat(Buffers).ToDictionary(p => p.Key, p => p.Value);
            foreach (var tensor in net.Parameters.Concat(net.Buffers))
            {
                HashWeights.Tensor(tensor.Name, tensor.Shape, shapes).CopyTo(tensor.Values);
            }
        }

        /// <summary>
        /// |actual − expected| ≤ bound · max|expected| for every stored entry; for a sampled tensor, its sampled entries and its
        /// max |x|, Σx (bound relative to Σ|x|), Σ|x| and √Σx² — bound = max(1e-4, <see cref="ConditioningFactor"/> × PyTorch's float32 error).
        /// </summary>
        public void AssertClose(string key, float[] actual)
        {
            var bound = Math.Max(Tolerance, ConditioningFactor * _float32Error[key]);
            if (!_sampled.Contains(key))
            {
                var expected = _tensors[key].ToFloatArray();
                Assert.Equal(expected.Length, actual.Length);
                AssertEntries(key, actual, Enumerable.Range(0, actual.Length).ToArray(), expected, bound * expected.Max(Math.Abs));
                return;
            }

            var stats = Doubles(key + ".stats");
            var (max, sum, sumAbs, sumSquares) = (stats[0], stats[1], stats[2], stats[3]);
            var indices = SampleIndices(actual.Length);
            AssertEntries(key, actual, indices, _tensors[key + ".sample"].ToFloatArray(), bound * max);
            var values = actual.Select(v => (double)v).ToArray();
            AssertStatistic(key, "max |x|", values.Max(Math.Abs), max, bound * max);
            AssertStatistic(key, "sum", values.Sum(), sum, bound * sumAbs);
            AssertStatistic(key, "sum |x|", values.Sum(Math.Abs), sumAbs, bound * sumAbs);
            AssertStatistic(key, "sqrt(sum x²)", Math.Sqrt(values.Sum(v => v * v)), Math.Sqrt(sumSquares), bound * Math.Sqrt(sumSquares));
        }

        /// <summary>The sampled entries of a tensor of <paramref name="count"/> elements: ⌊(2k + 1) · count / 4096⌋, k &lt; 2048.</summary>
        public static int[] SampleIndices(int count) =>
            Enumerable.Range(0, SampleCount).Select(k => (int)((((2L * k) + 1) * count) / (2 * SampleCount))).ToArray();

        private void AssertEntries(string key, float[] actual, int[] indices, float[] expected, double limit)
        {
            var worst = Enumerable.Range(0, indices.Length).MaxBy(i => Math.Abs(actual[indices[i]] - expected[i]));
            var error = Math.Abs(actual[indices[worst]] - expected[worst]);
            Assert.True(error <= limit, $"{File} {key}[{indices[worst]}] = {actual[indices[worst]]}, PyTorch {expected[worst]} (error {error:E2} > {limit:E2})");
        }

        private void AssertStatistic(string key, string what, double actual, double expected, double limit) =>
            Assert.True(Math.Abs(actual - expected) <= limit, $"{File} {key}: {what} = {actual:G9}, PyTorch {expected:G9} (error {Math.Abs(actual - expected):E2} > {limit:E2})");

        private double[] Doubles(string key)
        {
            var tensor = _tensors[key];
            Assert.Equal(SafeTensorDType.F64, tensor.DType);
            var values = new double[tensor.ElementCount];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadDoubleLittleEndian(tensor.Data.Slice(i * 8, 8));
            }

            return values;
        }

        private void AssertSameTensors(string what, IReadOnlyDictionary<string, int[]> expected, ParameterList actual)
        {
            var missing = expected.Keys.Except(actual.Select(p => p.Name)).ToList();
            var extra = actual.Select(p => p.Name).Except(expected.Keys).ToList();
            Assert.True(missing.Count == 0 && extra.Count == 0, $"{File} {what}: torchvision's names missing in ConvGen [{string.Join(", ", missing)}], ConvGen's not in torchvision [{string.Join(", ", extra)}]");
            foreach (var tensor in actual)
            {
                Assert.True(expected[tensor.Name].SequenceEqual(tensor.Shape), $"{File} {tensor.Name}: ConvGen shape [{string.Join(", ", tensor.Shape)}], torchvision [{string.Join(", ", expected[tensor.Name])}]");
            }
        }
    }
}
