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
        /// Floats the transformed input and products of a chunk should stay within (640 KB of a 1 MB L2), unless a
        /// single tile row already needs more.
        /// </summary>
        private const long ChunkFloats = 160 * 1024;

        /// <summary>
        /// What streaming the packed weights past one more chunk costs, in columns of tiles: each chunk reads all of U
        /// once, so fewer, larger chunks save that much per chunk they avoid.
        /// </summary>
        private const int ChunkCost = 8;

        public WinogradTiling(ConvolutionShape shape)
        {
            Shape = shape;
            TileRows = (shape.OutHeight + 1) / 2;
            TileColumns = (shape.OutWidth + 1) / 2;
            OutPanels = (shape.OutChannels + PanelRows - 1) / PanelRows;
            ChunkRows = BestChunkRows(TileRows, TileColumns, shape.InChannels + (OutPanels * PanelRows));
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

        /// <summary>
        /// Floats from one position's transformed-input matrix (input channels × <see cref="TileStride"/>) to the next,
        /// with slack between them for the lanes of a full group past the last tile of the last channel.
        /// </summary>
        public int InputMatrixLength => (Shape.InChannels * TileStride) + Slack;

        /// <summary>Floats of one position's product matrix (padded output channels × <see cref="TileStride"/>).</summary>
        public int ProductMatrixLength => OutPanels * PanelRows * TileStride;

        /// <summary>Floats of one thread's scratch: the de-interleaved rows, the transformed input and the products, plus slack for full lane groups.</summary>
        public int ScratchLength => (PhaseRows * 2 * PhaseStride) + (Positions * (InputMatrixLength + ProductMatrixLength)) + Slack;

        /// <summary>
        /// Whether <paramref name="parts"/> parts of one convolution should each take a range of output-channel row panels
        /// over every tile row, rather than a range of tile rows over every channel: the cut whose largest part runs the
        /// product kernel over the fewest padded tile columns × row panels (rows on a tie, which transform the input only
        /// once). Small outputs split by channels: half of a 7×7 output's 16 tiles still fills a whole 16-tile panel.
        /// </summary>
        public bool SplitsByPanels(int parts)
        {
            long byRows = 0;
            long byPanels = 0;
            var allTiles = PaddedTiles(0, TileRows);
            for (var part = 0; part < parts; part++)
            {
                var (firstRow, endRow) = Threading.Partition.Range(TileRows, part, parts);
                var (firstPanel, endPanel) = Threading.Partition.Range(OutPanels, part, parts);
                byRows = Math.Max(byRows, (long)PaddedTiles(firstRow, endRow) * OutPanels);
                byPanels = Math.Max(byPanels, (long)allTiles * (endPanel - firstPanel));
            }

            return byPanels < byRows;
        }

        /// <summary>Tile columns the product kernel runs over for tile rows [<paramref name="firstRow"/>, <paramref name="endRow"/>): each chunk's tiles, rounded up to whole panels.</summary>
        private int PaddedTiles(int firstRow, int endRow)
        {
            var tiles = 0;
            for (var first = firstRow; first < endRow; first += ChunkRows)
            {
                tiles += RoundUp((Math.Min(first + ChunkRows, endRow) - first) * TileColumns, PanelTiles);
            }

            return tiles;
        }

        /// <summary>
        /// Tile rows per chunk: among the sizes whose buffers fit <see cref="ChunkFloats"/> (or are no larger than one tile
        /// row's), the one with the fewest padded tile columns computed plus <see cref="ChunkCost"/> per chunk. Measured on
        /// ResNet-18's and GoogLeNet's 3×3 layers: padding a chunk's tiles up to whole 16-tile panels and streaming the
        /// weights again per chunk both cost, and buffers beyond the L2 cost more than either.
        /// </summary>
        private static int BestChunkRows(int tileRows, int tileColumns, int channels)
        {
            long Floats(int rows) => (long)Positions * channels * RoundUp(rows * tileColumns, PanelTiles);
            var limit = Math.Max(ChunkFloats, Floats(1));
            var best = 1;
            var bestCost = long.MaxValue;
            for (var rows = 1; rows <= tileRows && Floats(rows) <= limit; rows++)
            {
                var chunks = (tileRows + rows - 1) / rows;
                var cost = (long)chunks * (RoundUp(rows * tileColumns, PanelTiles) + ChunkCost);
                if (cost < bestCost)
                {
                    best = rows;
                    bestCost = cost;
                }
            }

            return best;
        }

        private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
    }
}
