using System;
using ConvGen.Networks;

namespace ConvGen.Runtime.Tests.Networks
{
    /// <summary>
    /// <c>ParameterList.TryGetStorage</c> lets <see cref="Optimizer.Step(INetwork)"/> write a generated network's parameters and
    /// report the write; it must find the storage only when the tensors tile it exactly and share one record of writes, since
    /// anything else would step values the network does not own or leave a write unreported.
    /// </summary>
    public sealed class ParameterStorageTests
    {
        [Fact]
        public void Tensors_tiling_one_array_with_one_record_of_writes_are_found()
        {
            var writes = new ParameterWrites();
            var values = new float[10];
            var list = new ParameterList(
                new Parameter("a", new[] { 2, 3 }, values, new float[10], 0, writes),
                new Parameter("b", new[] { 4 }, values, new float[10], 6, writes));

            Assert.True(list.TryGetStorage(10, out var storage, out var found));
            Assert.Same(writes, found);
            storage[9] = 5f;
            Assert.Equal(5f, list["b"].ReadOnlyValues[3]);
            Assert.NotEqual(ParameterWrites.Unknown, writes.Stamp); // finding the storage hands nothing out
        }

        [Fact]
        public void Anything_else_is_not_found()
        {
            var writes = new ParameterWrites();
            var values = new float[10];
            var gradients = new float[10];
            Assert.False(Two(new Parameter("a", new[] { 6 }, values, gradients, 0, writes), new Parameter("b", new[] { 4 }, values, gradients, 6)).TryGetStorage(10, out _, out _), "no record of writes on one tensor");
            Assert.False(Two(new Parameter("a", new[] { 6 }, values, gradients, 0, writes), new Parameter("b", new[] { 4 }, values, gradients, 6, new ParameterWrites())).TryGetStorage(10, out _, out _), "two records of writes");
            Assert.False(Two(new Parameter("a", new[] { 6 }, values, gradients, 0, writes), new Parameter("b", new[] { 4 }, new float[10], gradients, 6, writes)).TryGetStorage(10, out _, out _), "two arrays");
            Assert.False(Two(new Parameter("a", new[] { 5 }, values, gradients, 0, writes), new Parameter("b", new[] { 4 }, values, gradients, 6, writes)).TryGetStorage(10, out _, out _), "a gap between the tensors");
            Assert.False(Two(new Parameter("b", new[] { 4 }, values, gradients, 6, writes), new Parameter("a", new[] { 6 }, values, gradients, 0, writes)).TryGetStorage(10, out _, out _), "out of order");
            Assert.False(Two(new Parameter("a", new[] { 6 }, values, gradients, 0, writes), new Parameter("b", new[] { 3 }, values, gradients, 6, writes)).TryGetStorage(9, out _, out _), "the array is longer than the tensors");
            Assert.False(Two(new Parameter("a", new[] { 6 }, values, gradients, 0, writes), new Parameter("b", new[] { 4 }, values, gradients, 6, writes)).TryGetStorage(11, out _, out _), "not the length asked for");
            Assert.False(new ParameterList().TryGetStorage(0, out _, out _), "no tensors");
        }

        private static ParameterList Two(Parameter first, Parameter second) => new(first, second);
    }
}
