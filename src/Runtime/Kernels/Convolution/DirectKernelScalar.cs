using System;
using System.Runtime.CompilerServices;

namespace ConvGen.Kernels.Convolution
{
    /// <summary>
    /// Scalar micro-kernel of the direct convolution: one output pixel × one or two blocks of 8 output channels, on the
    /// same packed layout and chunks as <see cref="DirectKernelAvx2"/> (the reference the vector kernels are tested against).
    /// </summary>
    internal static unsafe class DirectKernelScalar
    {
        /// <summary>As <see cref="DirectKernelAvx2.Tile{TBlocks}"/> for one pixel: the sums are <c>[block][8 channels]</c>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Tile<TBlocks>(float* input, float* weights, nint outBlockWeights, int* termOffsets, int terms,
            float* sums, bool resume, bool finish, float* scale, float* shift, bool relu)
            where TBlocks : struct, IBlockPair
        {
            const int Block = 8;
            int count = TBlocks.Two ? 2 : 1;
            for (int b = 0; b < count; b++)
            {
                float* acc = sums + (b * Block);
                float* w = weights + (b * outBlockWeights);
                if (!resume)
                {
                    for (int j = 0; j < Block; j++)
                    {
                        acc[j] = 0f;
                    }
                }

                for (int q = 0; q < terms; q++)
                {
                    float a = input[termOffsets[q]];
                    for (int j = 0; j < Block; j++)
                    {
                        acc[j] += a * w[j];
                    }

                    w += Block;
                }

                if (finish)
                {
                    for (int j = 0; j < Block; j++)
                    {
                        float v = (acc[j] * scale[(b * Block) + j]) + shift[(b * Block) + j];
                        acc[j] = relu && v < 0f ? 0f : v;
                    }
                }
            }
        }

        /// <summary>
        /// Writes a finished one-pixel tile: channel c (c &lt; <paramref name="channels"/>) at <paramref name="target"/> +
        /// c·<paramref name="plane"/>; with a <paramref name="residual"/> (laid out like the target; else null) as
        /// <c>clamp(sum + residual)</c>, the clamp None, ReLU or ReLU6 computed as <see cref="VectorOps.AddActivate"/>'s
        /// scalar loop does.
        /// </summary>
        public static void ScatterRun(float* sums, int channels, float* target, nint plane, float* residual, Activation clamp)
        {
            for (int c = 0; c < channels; c++)
            {
                float v = sums[c];
                if (residual != null)
                {
                    v += residual[c * plane];
                    v = clamp switch
                    {
                        Activation.ReLU => MathF.Max(v, 0f),
                        Activation.ReLU6 => MathF.Min(MathF.Max(v, 0f), 6f),
                        _ => v,
                    };
                }

                target[c * plane] = v;
            }
        }
    }
}
