using System;
using System.Linq;
using ConvGen.Serialization;

namespace ConvGen.Runtime.Tests.SafeTensors
{
    /// <summary>Reads files written by make-reference.py (numpy and the published format) and checks every value.</summary>
    public class SafeTensorsInteropTests
    {
        private static string Reference(string name) => RepositoryPaths.Combine("tests", "ConvGen.Runtime.Tests", "SafeTensors", name);

        [Fact]
        public void Reads_float32_and_int64_tensors_with_metadata()
        {
            var tensors = SafeTensorsFile.Read(Reference("reference-f32-i64.safetensors"), out var metadata);
            Assert.Equal(new[] { ("format", "pt"), ("source", "make-reference.py") }, metadata.OrderBy(p => p.Key).Select(p => (p.Key, p.Value)));
            Assert.Equal(3, tensors.Count);

            var weight = tensors["conv1.weight"];
            Assert.Equal(SafeTensorDType.F32, weight.DType);
            Assert.Equal(new[] { 2, 1, 3, 4 }, weight.Shape);
            var expectedWeight = Enumerable.Range(0, 24).Select(i => (float)i * 0.1f - 1f).ToArray(); // numpy: float32 arithmetic
            Assert.Equal(expectedWeight, weight.ToFloatArray());

            Assert.Equal(new[] { 0.5f, -2.25f }, tensors["conv1.bias"].ToFloatArray());
            var counts = tensors["num_batches_tracked"];
            Assert.Equal(SafeTensorDType.I64, counts.DType);
            Assert.Equal(new[] { 7L, -3L, 1L << 40 }, counts.ToInt64Array());
        }

        [Fact]
        public void Reads_float64_int32_uint8_scalar_and_empty_tensors()
        {
            var tensors = SafeTensorsFile.Read(Reference("reference-mixed.safetensors"), out var metadata);
            Assert.Empty(metadata);

            var scale = tensors["scale"];
            Assert.Empty(scale.Shape);
            Assert.Equal(new[] { 3.5f }, scale.ToFloatArray());

            var doubles = tensors["double"];
            Assert.Equal(SafeTensorDType.F64, doubles.DType);
            Assert.Equal(new[] { 2, 2 }, doubles.Shape);
            Assert.Equal(new[] { (float)(1.0 / 3.0), float.NegativeInfinity, 2.5f, 0f }, doubles.ToFloatArray());

            Assert.Equal(new[] { 1, -2, int.MaxValue, int.MinValue }, tensors["counts"].ToInt32Array());
            Assert.Equal(new[] { 1L, -2L, int.MaxValue, int.MinValue }, tensors["counts"].ToInt64Array());
            Assert.Equal(new[] { 0, 1, 127, 128, 255 }, tensors["pixels"].ToInt32Array());

            var empty = tensors["empty"];
            Assert.Equal(new[] { 0, 3 }, empty.Shape);
            Assert.Empty(empty.ToFloatArray());
        }
    }
}
