using System.Runtime.CompilerServices;

namespace ConvGen.Kernels.Convolution
{
    /// <summary>
    /// Scalar micro-kernel of the direct convolution: one output pixel × one or two blocks of 8 output channels, on the
    /// same packed layout as <see cref="DirectKernelAvx2"/> (the reference the vector kernels are tested against).
    /// </summary>
    internal static unsafe class DirectKernelScalar
    {
        /// <summary>As <see cref="DirectKernelAvx2.Tile{TBlocks}"/> for one pixel: the tile is <c>[block][8 channels]</c>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Tile<TBlocks>(float* input, float* weights, nint outBlockWeights, in BlockedLayout layout,
            int kernelHeight, int kernelWidth, float* scale, float* shift, bool relu, float* tile)
            where TBlocks : struct, IBlockPair
        {
            const int Block = 8;
            int blocks = TBlocks.Two ? 2 : 1;
            for (int b = 0; b < blocks; b++)
            {
                float* acc = tile + (b * Block);
                float* w = weights + (b * outBlockWeights);
                for (int j = 0; j < Block; j++)
                {
                    acc[j] = 0f;
                }

                for (int ib = 0; ib < layout.InBlocks; ib++)
                {
                    int lanes = ib == layout.InBlocks - 1 ? layout.LastLanes : Block;
                    for (int ky = 0; ky < kernelHeight; ky++)
                    {
                        float* row = input + (ib * layout.PlaneStride) + (ky * layout.RowStride);
                        for (int kx = 0; kx < kernelWidth; kx++)
                        {
                            for (int l = 0; l < lanes; l++)
                            {
                                float a = row[(kx * Block) + l];
                                float* wv = w + (l * Block);
                                for (int j = 0; j < Block; j++)
                                {
                                    acc[j] += a * wv[j];
                                }
                            }

                            w += Block * Block;
                        }
                    }
                }

                for (int j = 0; j < Block; j++)
                {
                    float v = (acc[j] * scale[(b * Block) + j]) + shift[(b * Block) + j];
                    acc[j] = relu && v < 0f ? 0f : v;
                }
            }
        }
    }
}
