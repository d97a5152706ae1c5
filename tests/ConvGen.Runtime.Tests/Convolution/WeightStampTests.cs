using System;
using System.Collections.Generic;
using ConvGen.Kernels.Convolution;
using ConvGen.Kernels.ConvolutionBackward;
using ConvGen.Kernels.Winograd;
using ConvGen.Networks;

namespace ConvGen.Runtime.Tests.Convolution
{
    /// <summary>
    /// The three kernels that keep packed weights, given a stamp with the weights (<see cref="ParameterWrites.Stamp"/>):
    /// an equal stamp is trusted without comparing, a new stamp repacks, and <see cref="ParameterWrites.Unknown"/> compares
    /// with a copy that is kept only from the first unstamped call on. What each packs is checked by running it.
    /// </summary>
    [Collection("Simd")]
    public sealed class WeightStampTests
    {
        private static readonly ConvolutionShape Shape = new(16, 6, 7, 16, 3, 3, 1, 1, 1, 1, 1, 1);

        /// <summary>A kernel under test: SetWeights with a stamp, and one run with the weights it holds.</summary>
        public sealed record Kernel(string Name, Func<float[], long, bool> SetWeights, Func<float[]> Run)
        {
            public override string ToString() => Name;
        }

        public static IEnumerable<object[]> Kernels()
        {
            yield return new object[] { "direct" };
            yield return new object[] { "winograd" };
            yield return new object[] { "data gradient" };
        }

        [Theory]
        [MemberData(nameof(Kernels))]
        public void An_equal_stamp_is_trusted_a_new_one_repacks_and_an_unknown_one_compares(string name)
        {
            var rng = new Random(3);
            var first = GemmTests.Random(rng, Shape.WeightLength);
            var second = GemmTests.Random(rng, Shape.WeightLength);
            var kernel = Create(name);

            Assert.True(kernel.SetWeights(first, 0));
            Assert.False(kernel.SetWeights(second, 0)); // the stamp promises unchanged weights: not even compared
            Assert.Equal(Create(name, first).Run(), kernel.Run());

            Assert.True(kernel.SetWeights(second, 1));
            Assert.Equal(Create(name, second).Run(), kernel.Run());

            Assert.True(kernel.SetWeights(second, ParameterWrites.Unknown)); // no copy was kept at a stamp: packs and keeps one
            Assert.False(kernel.SetWeights(second, ParameterWrites.Unknown));
            second[5] = -second[5];
            Assert.True(kernel.SetWeights(second, ParameterWrites.Unknown));
            Assert.Equal(Create(name, second).Run(), kernel.Run());
        }

        [Fact]
        public void The_stamp_of_a_network_advances_with_its_own_writes_and_is_unknown_once_a_view_is_handed_out()
        {
            var writes = new ParameterWrites();
            var values = new float[6];
            var parameter = new Parameter("w", new[] { 2, 3 }, values, new float[6], 0, writes);
            var stamp = writes.Stamp;

            parameter.Write(new float[] { 1, 2, 3, 4, 5, 6 });
            Assert.NotEqual(stamp, writes.Stamp);
            Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, values);
            Assert.Equal(values, parameter.ReadOnlyValues.ToArray());
            Assert.NotEqual(ParameterWrites.Unknown, writes.Stamp);

            parameter.Values[0] = 7f;
            Assert.Equal(ParameterWrites.Unknown, writes.Stamp);
            writes.Changed();
            Assert.Equal(ParameterWrites.Unknown, writes.Stamp); // a handed-out view stays writable
        }

        [Fact]
        public void A_pass_is_settled_when_the_network_wrote_nothing_since_the_pass_before_and_always_once_a_view_is_out()
        {
            var writes = new ParameterWrites();
            var parameter = new Parameter("w", new[] { 2 }, new float[2], new float[2], 0, writes);
            writes.StartPass();
            Assert.False(writes.Settled, "the first pass has nothing before it");
            writes.StartPass();
            Assert.True(writes.Settled);
            parameter.Write(new float[] { 1, 2 });
            writes.StartPass();
            Assert.False(writes.Settled, "a write since the pass before");
            writes.StartPass();
            Assert.True(writes.Settled);
            writes.Changed();
            writes.StartPass();
            Assert.False(writes.Settled, "an optimizer step or a load since the pass before");

            parameter.Values[0] = 3f;
            writes.StartPass();
            Assert.True(writes.Settled, "with a writable view out nothing is known, and the kernels compare");
        }

        /// <summary>The kernel <paramref name="name"/>, packed with <paramref name="weights"/> (unstamped) when given.</summary>
        private static Kernel Create(string name, float[]? weights = null)
        {
            var rng = new Random(9);
            var input = GemmTests.Random(rng, Shape.InputLength);
            var outputGradient = GemmTests.Random(rng, Shape.OutputLength);
            Kernel kernel;
            switch (name)
            {
                case "direct":
                    var direct = new DirectConvolution(Shape);
                    kernel = new Kernel(name, (w, stamp) => direct.SetWeights(w, stamp), () => Run(Shape.OutputLength, y => direct.Apply(input, default, default, Activation.None, y)));
                    break;
                case "winograd":
                    var winograd = new WinogradConvolution(Shape);
                    kernel = new Kernel(name, (w, stamp) => winograd.SetWeights(w, stamp), () => Run(Shape.OutputLength, y => winograd.Apply(input, default, default, Activation.None, y)));
                    break;
                default:
                    var gradient = new DataGradient(Shape);
                    kernel = new Kernel(name, (w, stamp) => gradient.SetWeights(w, stamp), () => Run(Shape.InputLength, dx => gradient.Compute(outputGradient, dx, accumulate: false)));
                    break;
            }

            if (weights is not null)
            {
                kernel.SetWeights(weights, ParameterWrites.Unknown);
            }

            return kernel;
        }

        private static float[] Run(int length, SpanAction action)
        {
            var result = new float[length];
            action(result);
            return result;
        }

        private delegate void SpanAction(Span<float> output);
    }
}
