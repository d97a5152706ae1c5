using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Kernels;
using ConvGen.Kernels.Convolution;

namespace ConvGen.Runtime.Tests.Convolution
{
    /// <summary>
    /// Output channels that leave a partial last block: on AVX2 a lone last block of at most 4 real channels (and every
    /// block when there is one input channel) is computed by the tail kernel (over pixels, from a plain padded copy of
    /// the input), otherwise by the blocked kernels.
    /// </summary>
    [Collection("Simd")]
    public class DirectConvolutionTailTests
    {
        public static IEnumerable<object[]> Remainders() =>
            from level in Enum.GetValues<SimdLevel>()
            where level <= Simd.Supported
            from inChannels in new[] { 1, 11 }
            from blocks in new[] { 1, 2, 6 }
            from extra in Enumerable.Range(0, 8)
            select new object[] { level, inChannels, (blocks * 8) + extra };

        /// <summary>The activations a convolution can end in, one per channel count in turn.</summary>
        private static readonly Activation[] Epilogues = { Activation.ReLU, Activation.None, Activation.Tanh, Activation.Sigmoid, Activation.ReLU6 };

        [Theory]
        [MemberData(nameof(Remainders))]
        public void EveryRemainderMatchesTheReferenceOnOneAndTwoThreads(SimdLevel level, int inChannels, int outChannels)
        {
            // 8, 16 or 48 output channels plus 0 to 7: every remainder after a lone last block (odd block counts) and after
            // a pair (even ones), from 11 input channels (a tail only for a lone block of at most 4) or 1 (every block a
            // tail). 13 × 11 output, 5×5 padded: rows of a full vector and a partial one, 6-vector tiles across rows.
            var shape = new ConvolutionShape(inChannels, 13, 11, outChannels, 5, 5, 1, 1, 2, 2, 2, 2);
            var rng = new Random((100 * inChannels) + outChannels);
            var input = Random(rng, shape.InputLength);
            var weights = Random(rng, shape.WeightLength);
            var scale = outChannels % 2 == 0 ? Random(rng, shape.OutChannels) : Array.Empty<float>();
            var shift = Random(rng, shape.OutChannels);
            var activation = Epilogues[outChannels % Epilogues.Length];
            var one = new float[shape.OutputLength];
            var two = new float[shape.OutputLength];
            WithLevel(level, () =>
            {
                var conv = new DirectConvolution(shape);
                conv.Forward(input, weights, scale, shift, activation, one, threads: 1);
                conv.Forward(input, weights, scale, shift, activation, two, threads: 2);
            });

            ConvolutionReference.AssertClose(ConvolutionReference.Forward(shape, input, weights, scale, shift, activation), one, $"{level} {inChannels}→{outChannels} channels {activation}");
            Assert.Equal(one, two);
        }

        public static IEnumerable<object[]> TailShapes() =>
            from level in Enum.GetValues<SimdLevel>()
            where level <= Simd.Supported
            from channels in new[] { (In: 20, Out: 50), (In: 50, Out: 20) }
            select new object[] { level, channels.In, channels.Out };

        [Theory]
        [MemberData(nameof(TailShapes))]
        public void TheTailGivesTheBlockedKernelsBits(SimdLevel level, int inChannels, int outChannels)
        {
            // LeNet-5's conv2 (20→50: a lone seventh block of 2, one call of 2 channels) and the convolution of its ∂L/∂x
            // (50→20: a lone third block of 4, one call of 4 channels where the CPU has AVX-512's 32 registers). Computed
            // as part of the whole range the lone block goes to the tail kernel (on AVX2); as the second block of the
            // range [blocks − 2, blocks) the blocked kernel computes it with the block before. Both add the same products
            // in the same order, so the bits agree.
            var shape = new ConvolutionShape(inChannels, 14, 14, outChannels, 5, 5, 1, 1, 2, 2, 2, 2);
            var rng = new Random(23);
            var input = Random(rng, shape.InputLength);
            var weights = Random(rng, shape.WeightLength);
            var scale = Random(rng, shape.OutChannels);
            var shift = Random(rng, shape.OutChannels);
            var plane = shape.OutHeight * shape.OutWidth;
            foreach (var activation in new[] { Activation.ReLU, Activation.Sigmoid })
            {
                var whole = new float[shape.OutputLength];
                var paired = new float[shape.OutputLength];
                WithLevel(level, () =>
                {
                    var conv = new DirectConvolution(shape);
                    conv.SetWeights(weights);
                    var packed = new float[conv.PackedInputLength];
                    conv.PackInput(input, packed);
                    conv.Compute(packed, scale, shift, activation, whole, 0, conv.OutputBlocks);
                    conv.Compute(packed, scale, shift, activation, paired, conv.OutputBlocks - 2, conv.OutputBlocks);
                });

                var tail = outChannels / 8 * 8 * plane;
                Assert.Equal(paired.Skip(tail), whole.Skip(tail));
                ConvolutionReference.AssertClose(ConvolutionReference.Forward(shape, input, weights, scale, shift, activation), whole, $"{level} {inChannels}→{outChannels} {activation}");
            }
        }

        [Fact]
        public void OnlyALoneFewChannelLastBlockOrOneInputChannelAtStrideOneOnAvx2IsATail()
        {
            // The first output block the tail kernel computes; the block count when none.
            static int Tail(int outChannels, int inChannels = 20, int stride = 1, SimdLevel level = SimdLevel.Avx2) =>
                new BlockedLayout(new ConvolutionShape(inChannels, 14, 14, outChannels, 5, 5, stride, stride, 2, 2, 2, 2), level).TailFirstBlock;

            Assert.Equal(new[] { 6, 6, 6, 6, 7, 7, 7 }, Enumerable.Range(49, 7).Select(c => Tail(c)));
            Assert.Equal(6, Tail(48));
            Assert.Equal(8, Tail(58));                       // 8 blocks: the last is paired with a full one
            Assert.Equal(7, Tail(50, stride: 2));
            Assert.Equal(7, Tail(50, level: SimdLevel.Scalar));
            Assert.Equal(4, Tail(50, level: SimdLevel.Avx512));
            Assert.Equal(2, Tail(20));                       // 2 full blocks + 4
            Assert.Equal(0, Tail(20, inChannels: 1));        // LeNet-5's conv1: every block
            Assert.Equal(3, Tail(20, inChannels: 1, level: SimdLevel.Scalar));
        }

        public static IEnumerable<object[]> Levels() =>
            Enum.GetValues<SimdLevel>().Where(level => level <= Simd.Supported).Select(level => new object[] { level });

        private static float[] Random(Random rng, int length) =>
            Enumerable.Range(0, length).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();

        private static void WithLevel(SimdLevel level, Action action) => GemmTests.WithLevel(level, action);
    }
}
