using System;
using ConvGen.Kernels.Convolution;

namespace ConvGen.Kernels.Winograd
{
    /// <summary>
    /// How F(2×2, 3×3) cuts one sample's output into 2×2 tiles and the tiles into chunks, and the sizes of the buffers
    /// one chunk uses. A chunk is a run of whole tile rows small enough that its transformed input and products stay in
    /// the L2 cache while the 16 tile products run over them.
    /// </summary>
    internal readonly struct WinogradTiling
    {
        /// <summary>Transform positions per tile: the 4×4 input tile.</summary>
        public const int Positions = 16;

        /// <summary>Output channels per row panel of the packed transformed weights (the product kernel's row count).</summary>
        public const int PanelRows = 6;

        /// <summary>Tiles per column panel of the product kernel.</summary>
        public const int PanelTiles = 16;

        /// <summary>Floats read past the last valid tile by a full group of lanes (<see cref="Lanes8"/>).</summary>
        private const int Slack = 8;

        /// <summary>
        /// The chunk's transformed input and products together should stay within about this many floats (512 KB: half
        /// of a 1 MB L2, leaving room for the weight panels streamed past them).
        /// </summary>
        private const int ChunkFloats = 128 * 1024;

        public WinogradTiling(ConvolutionShape shape)
        {
            Shape = shape;
            TileRows = (shape.OutHeight + 1) / 2;
            TileColumns = (shape.OutWidth + 1) / 2;
            OutPanels = (shape.OutChannels + PanelRows - 1) / PanelRows;
            var perTile = Positions * (shape.InChannels + (OutPanels * PanelRows));
            ChunkRows = Math.Clamp(ChunkFloats / perTile / TileColumns, 1, TileRows);
            TileStride = RoundUp(ChunkRows * TileColumns, PanelTiles);
            PhaseStride = RoundUp(TileColumns + 1 + Slack, 8);
        }

        public ConvolutionShape Shape { get; }

        /// <summary>Rows of 2×2 output tiles: ⌈OutHeight / 2⌉.</summary>
        public int TileRows { get; }

        /// <summary>Tiles per tile row: ⌈OutWidth / 2⌉.</summary>
        public int TileColumns { get; }

        /// <summary>Tile rows per chunk (the last chunk of a range may have fewer).</summary>
        public int ChunkRows { get; }

        /// <summary>Row pitch of one transformed-input or product matrix: the chunk's tiles rounded up to whole column panels.</summary>
        public int TileStride { get; }

        /// <summary>Output channels rounded up to whole row panels.</summary>
        public int OutPanels { get; }

        /// <summary>Floats per even or odd half of one de-interleaved, zero-padded input row.</summary>
        public int PhaseStride { get; }

        /// <summary>De-interleaved input rows a chunk reads: two per tile row plus the two its last tile row overlaps.</summary>
        public int PhaseRows => (2 * ChunkRows) + 2;

        /// <summary>Floats of the packed transformed weights: per position, per row panel, per input channel, <see cref="PanelRows"/> output channels.</summary>
        public int PackedWeightLength => Positions * OutPanels * PanelRows * Shape.InChannels;

        /// <summary>Floats of one position's transformed-input matrix (input channels × <see cref="TileStride"/>).</summary>
        public int InputMatrixLength => Shape.InChannels * TileStride;

        /// <summary>Floats of one position's product matrix (padded output channels × <see cref="TileStride"/>).</summary>
        public int ProductMatrixLength => OutPanels * PanelRows * TileStride;

        /// <summary>Floats of one thread's scratch: the de-interleaved rows, the transformed input and the products, plus slack for full lane groups.</summary>
        public int ScratchLength => (PhaseRows * 2 * PhaseStride) + (Positions * (InputMatrixLength + ProductMatrixLength)) + Slack;

        private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
    }
}
