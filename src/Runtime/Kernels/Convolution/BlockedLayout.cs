using System;

namespace ConvGen.Kernels.Convolution
{
    /// <summary>
    /// The channel-blocked (NCHWc) layout the direct convolution works in for one <see cref="ConvolutionShape"/> and one
    /// <see cref="SimdLevel"/>: channels in blocks of <see cref="Block"/> (8 for scalar and AVX2, 16 for AVX-512), the
    /// input as <c>[InBlocks, PaddedHeight, PaddedWidth, Block]</c> with the padding stored as zeros (and enough extra
    /// zero columns on the right that a full tile of <see cref="Tile"/> output pixels never reads outside the row), the
    /// weights as <c>[OutBlocks, InBlocks, KernelHeight, KernelWidth, Block (input lane), Block (output lane)]</c>, zero
    /// where a lane lies past the last real channel.
    /// </summary>
    internal readonly struct BlockedLayout
    {
        public BlockedLayout(ConvolutionShape shape, SimdLevel level)
        {
            Level = level;
            Block = level == SimdLevel.Avx512 ? 16 : 8;
            Tile = level switch
            {
                SimdLevel.Avx512 => DirectKernelAvx512.Pixels,
                SimdLevel.Avx2 => DirectKernelAvx2.Pixels,
                _ => 1,
            };
            InBlocks = (shape.InChannels + Block - 1) / Block;
            OutBlocks = (shape.OutChannels + Block - 1) / Block;
            LastLanes = shape.InChannels - ((InBlocks - 1) * Block);
            PaddedHeight = shape.InHeight + shape.PadTop + shape.PadBottom;
            var tiledWidth = (shape.OutWidth + Tile - 1) / Tile * Tile;
            PaddedWidth = Math.Max(shape.InWidth + shape.PadLeft + shape.PadRight, ((tiledWidth - 1) * shape.StrideWidth) + shape.KernelWidth);
            RowStride = PaddedWidth * Block;
            PlaneStride = PaddedHeight * RowStride;
            PackedInputLength = InBlocks * PlaneStride;
            TapStride = Block * Block;
            InBlockWeights = shape.KernelHeight * shape.KernelWidth * TapStride;
            OutBlockWeights = InBlocks * InBlockWeights;
            PackedWeightLength = OutBlocks * OutBlockWeights;
        }

        public SimdLevel Level { get; }

        /// <summary>Channels per block: the vector width in floats.</summary>
        public int Block { get; }

        /// <summary>Output pixels one micro-kernel call computes along a row.</summary>
        public int Tile { get; }

        public int InBlocks { get; }

        public int OutBlocks { get; }

        /// <summary>Real input channels in the last input block (1..Block).</summary>
        public int LastLanes { get; }

        public int PaddedHeight { get; }

        public int PaddedWidth { get; }

        /// <summary>Floats from one padded input row to the next.</summary>
        public int RowStride { get; }

        /// <summary>Floats from one input block to the next.</summary>
        public int PlaneStride { get; }

        public int PackedInputLength { get; }

        /// <summary>Floats of one kernel tap in one (input block, output block) pair: Block × Block.</summary>
        public int TapStride { get; }

        /// <summary>Floats of weights for one (output block, input block) pair.</summary>
        public int InBlockWeights { get; }

        /// <summary>Floats of weights for one output block.</summary>
        public int OutBlockWeights { get; }

        public int PackedWeightLength { get; }
    }
}
