using System;

namespace ConvGen.Kernels.Convolution
{
    /// <summary>
    /// The channel-blocked (NCHWc) layout the direct convolution works in for one <see cref="ConvolutionShape"/> and one
    /// <see cref="SimdLevel"/>, and how its work is cut: channels in blocks of <see cref="Block"/> (8 for scalar and AVX2,
    /// 16 for AVX-512), the input as <c>[InBlocks, PaddedHeight, PaddedWidth, Block]</c> with the padding stored as zeros
    /// (plus zeroed slack at the end so the last tile never reads outside the buffer), the weights as
    /// <c>[OutBlocks, InBlocks, KernelHeight, KernelWidth, Block (input lane), Block (output lane)]</c>, zero where a lane
    /// lies past the last real channel.
    /// </summary>
    /// <remarks>
    /// <para>Output pixels are numbered row by row over rows <see cref="TileRowWidth"/> wide (the columns past the output
    /// width are computed and dropped) and cut into tiles of <see cref="Tile"/> consecutive pixels. On AVX2 the kernel
    /// reads each of its pixels through a table (<see cref="Flat"/>), so the rows are exactly the output width and lie
    /// end to end: only the plane's last tile is partial, whatever the width and stride. Measured (<c>--conv</c>, AVX2,
    /// alternating with the stepped kernel below, load average 5–15): LeNet-5's conv2 (14 wide, 5×5: 252 pixels
    /// computed per plane stepped, 198 flat) 1.19× (151 against 180 µs per sample in a whole LeNet-5 forward), the
    /// stride-2 convs of ResNet-18 1.2–1.5× (3×3 128→256 0.95→1.20× of im2col, 256→512 0.6–0.8→1.00×, 1×1 shortcuts
    /// 0.65→0.9×), 3×3 64→64 on 56×56 unchanged within noise (80–86 GFLOP/s either way).</para>
    /// <para>The AVX-512 kernel steps evenly from pixel to pixel, each tile's inputs one <see cref="PixelStep"/> apart.
    /// When both strides are equal, numbering rows as wide as the padded input row makes one row of pixels continue
    /// straight into the next, so tiles run on across output rows and, at stride 1, a narrow output wastes only the
    /// kernel's overhang (10 wide, 3×3: 12 computed per row instead of 16); otherwise rows are whole tiles wide. Whichever
    /// computes fewer pixels is used (row by row at stride 2, where running on would compute every other row too).</para>
    /// <para>Tiles are grouped into strips of <see cref="StripTiles"/>; for each strip the reduction runs over chunks of
    /// <see cref="ChunkBlocks"/> input blocks, every tile of the strip per chunk, its partial sums parked in a small
    /// scratch, so a chunk's weights are read once per strip from close caches while a layer's whole weights (up to
    /// 9 MB at 512→512) are not. Each sum still adds its terms in one fixed order (input block, kernel row, kernel
    /// column, lane), whatever the chunks, strips and threads.</para>
    /// <para>On AVX2 at stride 1 some output blocks may go to <see cref="TailKernelAvx2"/> instead (<see cref="TailFirstBlock"/>),
    /// which vectorizes over 8 pixels of an output row and reads a plain zero-padded copy of the input written after the
    /// blocked one. Measured (<c>--conv 9</c>, AVX2, the old and new way alternated in one process, best thread CPU time,
    /// load average 6–9): LeNet-5's conv2 (20→50, a lone seventh block of 2 channels) 67.7 → 76.6 GFLOP/s (145 → 128 µs;
    /// the same conv with 48 channels 80.3, 117 µs), 5×5 20→49 69 → 77, 3×3 64→66 and 64→68 on 28×28 1.02–1.08×
    /// (load average 14–28). A lone block of 5 or 6 channels was a draw and of 7 a loss (0.94–0.97×): the tail computes
    /// the channels two at a time, the blocked kernel all 8 lanes at once. With one input channel (every block a tail,
    /// the blocked input not written): LeNet-5's conv1 (1→20) 32.3 → 36.4 GFLOP/s (im2col + GEMM 32.7), classic
    /// LeNet-5's c1 (1→6) 20.7 → 31.2.</para>
    /// </remarks>
    internal readonly struct BlockedLayout
    {
        /// <summary>
        /// Floats of weights (two output blocks' worth) one reduction chunk aims at: 36 KB, 8 blocks of a 3×3 kernel on
        /// AVX2. Measured (<c>--conv</c>, AVX2, 3×3 64→64 on 56×56): chunks of 2 blocks (weights well inside L1) ran at
        /// 69–77 GFLOP/s, of 4 at 80, of 8 at 83: each chunk costs every tile a call and a load and store of its sums,
        /// while weights streaming from L2 keep up with the FMAs.
        /// </summary>
        private const int ChunkWeightFloats = 9 * 1024;

        /// <summary>Floats of partial sums one strip aims at: 8 KB.</summary>
        private const int StripSumFloats = 2 * 1024;

        /// <summary>The most real channels of a lone last output block that the tail kernel computes instead of the blocked one.</summary>
        private const int MaxTailChannels = 4;

        /// <summary>The most input channels at which the tail kernel computes every output block.</summary>
        private const int MaxAllTailInChannels = 1;

        /// <summary>
        /// The level whose kernels (and layout) run <paramref name="shape"/> at <paramref name="level"/>: the level itself,
        /// but for AVX-512 on a CPU that double-pumps it (<paramref name="doublePumped"/>, see
        /// <see cref="Simd.Avx512DoublePumped"/>), where the AVX2 kernels (8-channel blocks) run unless the shape is a
        /// stride-1 conv with at most one AVX2 block of input channels (≤ 8) and an output row a whole number of the
        /// AVX-512 kernel's 8-pixel tiles wide.
        /// </summary>
        /// <remarks>
        /// Measured on a double-pumped Zen 4 (<c>taskset -c 0 dotnet bench/ConvGen.Benchmarks/bin/Release/net10.0/ConvGen.Benchmarks.dll
        /// --conv 2</c>, the AVX2 and AVX-512 kernels alternated in one process, best thread CPU time, load average 2–7),
        /// direct GFLOP/s AVX2 against AVX-512: LeNet-5's conv2 (5×5 20→50 on 14×14) 99 against 73 (with 48 channels 100
        /// against 91), its conv1 (1→20) 49 against 37, classic LeNet-5's c1 (1→6) 43 against 20 and c3 (6→16) 82
        /// against 57, 3×3 128→128 28² 111 against 107, 256→256 14² 102 against 94, 64→68 28² 103 against 86, 64→128
        /// stride 2 105 against 94, 128→256 stride 2 105 against 94, 1×1 128→256 and 256→512 stride 2 82 and 76 against
        /// 72 and 71, 3×3 32→32 5² 66 against 49, 3×3 3→16 and 3→32 on 28×28 59 and 62 against 48 and 53, the 7×7
        /// stride-2 stem 99–100 against 96–98; a draw (within 3%) at 3×3 64→64 56², 512→512 7², 256→512 stride 2,
        /// 16→32 32². The AVX-512 kernels won only at stride 1 with few input channels on rows a multiple of 8 wide (no
        /// tile runs past a row): 3×3 3→16 32² 51–53 against 46–47, 2→16 38 against 35, 4→16 59 against 55 (but 56
        /// against 66 on 28×28), 8→16 77 against 73, 5×5 3→32 32² 81 against 77, VGG's 3×3 3→64 224² 52–57 against
        /// 49–52. 16-channel blocks gain no FMA throughput on such a CPU and lose on a mostly empty last block (LeNet's
        /// 50 = 3·16 + 2), on narrow rows and on short reductions. End to end, at <c>CONVGEN_SIMD=avx512</c> (<c>dotnet
        /// bench/ConvGen.SideBySide/bin/Release/net10.0/ConvGen.SideBySide.dll --workloads
        /// lenet5_infer_b1,lenet5_infer_b64,lenet5_train_b64,conv3x3_128x28_bwd --rounds 3 --no-torchsharp --no-cold --no-torch
        /// --no-onnx</c>, alternated with <c>CONVGEN_AVX512_WIDTH=full</c> for the 16-float kernels everywhere, one
        /// thread, load average 1.4–1.6; with <see cref="ConvolutionBackward.DirectWeightGradient"/>'s choice too):
        /// LeNet-5 b1 217–218 → 180–182 µs, b64 5.3–5.5k → 6.4–6.7k img/s, training b64 1.79–1.83k → 2.18–2.19k img/s
        /// (at <c>CONVGEN_SIMD=avx2</c> 179–181 µs, 6.3k, 2.07–2.11k); the backward of 3×3 128→128 on 28×28 5.17 → 4.73 ms.
        /// </remarks>
        public static SimdLevel KernelLevel(ConvolutionShape shape, SimdLevel level, bool doublePumped) =>
            level == SimdLevel.Avx512 && doublePumped && !WholeTileRowsOfFewChannels(shape) ? SimdLevel.Avx2 : level;

        private static bool WholeTileRowsOfFewChannels(ConvolutionShape shape) =>
            shape.StrideHeight == 1 && shape.StrideWidth == 1 && shape.InChannels <= 8 && shape.OutWidth % DirectKernelAvx512.Pixels == 0;

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
            KernelHeight = shape.KernelHeight;
            KernelWidth = shape.KernelWidth;
            InBlocks = (shape.InChannels + Block - 1) / Block;
            OutBlocks = (shape.OutChannels + Block - 1) / Block;
            LastLanes = shape.InChannels - ((InBlocks - 1) * Block);
            PaddedHeight = shape.InHeight + shape.PadTop + shape.PadBottom;
            var paddedWidth = shape.InWidth + shape.PadLeft + shape.PadRight;

            // Row by row: rows of whole tiles, each read within its own padded input row.
            var rowWidth = (shape.OutWidth + Tile - 1) / Tile * Tile;
            var rowTiles = shape.OutHeight * rowWidth / Tile;

            // Run on across rows (equal strides): pixel (y, x) reads at (y·s·paddedWidth + x·s)·Block, which is pixel
            // y·paddedWidth + x one step of s·Block at a time.
            var runOn = shape.StrideHeight == shape.StrideWidth;
            var runOnTiles = runOn ? ((shape.OutHeight * paddedWidth) + Tile - 1) / Tile : int.MaxValue;
            Pixels = shape.OutHeight * shape.OutWidth;
            Flat = level == SimdLevel.Avx2;
            if (Flat)
            {
                TileRowWidth = shape.OutWidth;
                Tiles = (Pixels + Tile - 1) / Tile;
                PaddedWidth = paddedWidth;
            }
            else if (runOnTiles < rowTiles)
            {
                TileRowWidth = paddedWidth;
                Tiles = runOnTiles;
                PaddedWidth = paddedWidth;
            }
            else
            {
                TileRowWidth = rowWidth;
                Tiles = rowTiles;
                PaddedWidth = Math.Max(paddedWidth, ((rowWidth - 1) * shape.StrideWidth) + shape.KernelWidth);
            }

            PixelStep = shape.StrideWidth * Block;
            InputRowStep = shape.StrideHeight * PaddedWidth * Block;
            RowStride = PaddedWidth * Block;
            PlaneStride = PaddedHeight * RowStride;

            // The last tile of the last block reads up to its last pixel's last kernel tap (a flat run's last tile
            // repeats the last real pixel, see PixelOffsets).
            var lastTile = (long)(Tiles - 1) * Tile;
            var lastPixel = Flat ? TileOffset(Pixels - 1) : TileOffset(lastTile) + ((long)(Tile - 1) * PixelStep);
            var lastRead = lastPixel + ((long)(KernelHeight - 1) * RowStride) + (KernelWidth * Block);
            // The tail (see TailFirstBlock): a plain copy of the padded input after the blocked one (instead of it when
            // every block is a tail), its last plane long enough for the last row's last vector's last tap.
            var unitStride = Flat && shape.StrideHeight == 1 && shape.StrideWidth == 1;
            var tail = shape.OutChannels % Block;
            TailFirstBlock = !unitStride ? OutBlocks
                : shape.InChannels <= MaxAllTailInChannels ? 0
                : OutBlocks % 2 == 1 && tail != 0 && tail <= MaxTailChannels ? OutBlocks - 1
                : OutBlocks;
            PlainStart = TailFirstBlock == 0 ? 0 : checked((int)(((long)(InBlocks - 1) * PlaneStride) + Math.Max(PlaneStride, lastRead)));
            PlainPlane = PaddedHeight * PaddedWidth;
            TailRowVectors = (shape.OutWidth + 7) / 8;
            var plainRead = ((long)(shape.OutHeight - 1 + KernelHeight - 1) * PaddedWidth) + (8 * TailRowVectors) + KernelWidth - 1;
            PackedInputLength = TailFirstBlock == OutBlocks
                ? PlainStart
                : checked((int)(PlainStart + ((long)(shape.InChannels - 1) * PlainPlane) + Math.Max(PlainPlane, plainRead)));

            BlockTerms = KernelHeight * KernelWidth * Block;
            Terms = ((InBlocks - 1) * BlockTerms) + (KernelHeight * KernelWidth * LastLanes);
            InBlockWeights = BlockTerms * Block;
            OutBlockWeights = Terms * Block;
            PackedWeightLength = OutBlocks * OutBlockWeights;
            ChunkBlocks = Math.Clamp(ChunkWeightFloats / (2 * InBlockWeights), 1, InBlocks);
            StripTiles = Math.Clamp(StripSumFloats / (2 * Tile * Block), 1, Tiles);
            Strips = (Tiles + StripTiles - 1) / StripTiles;
        }

        public SimdLevel Level { get; }

        /// <summary>Channels per block: the vector width in floats.</summary>
        public int Block { get; }

        /// <summary>Output pixels one micro-kernel call computes.</summary>
        public int Tile { get; }

        public int KernelHeight { get; }

        public int KernelWidth { get; }

        public int InBlocks { get; }

        public int OutBlocks { get; }

        /// <summary>Real input channels in the last input block (1..Block).</summary>
        public int LastLanes { get; }

        public int PaddedHeight { get; }

        public int PaddedWidth { get; }

        /// <summary>Pixels per row of the tiles' numbering: the output width or more (see the remarks).</summary>
        public int TileRowWidth { get; }

        /// <summary>Tiles of <see cref="Tile"/> pixels covering the output of one block.</summary>
        public int Tiles { get; }

        /// <summary>Tiles per strip (the last strip may hold fewer).</summary>
        public int StripTiles { get; }

        public int Strips { get; }

        /// <summary>Input blocks per chunk of the reduction (the last chunk may hold fewer).</summary>
        public int ChunkBlocks { get; }

        /// <summary>Floats between the inputs of neighbouring pixels: stride × block.</summary>
        public int PixelStep { get; }

        /// <summary>Floats between the inputs of neighbouring rows of pixels: vertical stride × row stride.</summary>
        public int InputRowStep { get; }

        /// <summary>Floats from one padded input row to the next.</summary>
        public int RowStride { get; }

        /// <summary>Floats from one input block to the next.</summary>
        public int PlaneStride { get; }

        /// <summary>Floats of the blocked input (with its slack); the plain copy for the tail starts there.</summary>
        public int PlainStart { get; }

        /// <summary>Floats of one padded plane of the plain copy: <see cref="PaddedHeight"/> × <see cref="PaddedWidth"/>.</summary>
        public int PlainPlane { get; }

        /// <summary>
        /// The first output block computed by <see cref="TailKernelAvx2"/> (over pixels, from a plain padded copy of the
        /// input) rather than the blocked kernel; <see cref="OutBlocks"/> when none is. Only on the AVX2 path at stride 1:
        /// every block when there are at most <see cref="MaxAllTailInChannels"/> input channels (the blocked input would
        /// be mostly padding lanes), else the last block when it is left alone (an odd number of blocks) and holds at
        /// most <see cref="MaxTailChannels"/> real channels.
        /// </summary>
        public int TailFirstBlock { get; }

        /// <summary>Whether any output block is computed from the blocked input (else only the plain copy is written).</summary>
        public bool Blocked => TailFirstBlock > 0;

        /// <summary>Whether any output block is computed by the tail kernel (so the plain copy is written).</summary>
        public bool HasTail => TailFirstBlock < OutBlocks;

        /// <summary>Vectors of 8 pixels the tail kernel computes per output row: the output width rounded up to 8.</summary>
        public int TailRowVectors { get; }

        public int PackedInputLength { get; }

        /// <summary>Terms of the reduction per full input block: (kernel row, kernel column, lane) triples.</summary>
        public int BlockTerms { get; }

        /// <summary>Terms of the whole reduction: the last block's lanes past the last real channel are left out.</summary>
        public int Terms { get; }

        /// <summary>Floats of weights for one output block and one full input block.</summary>
        public int InBlockWeights { get; }

        /// <summary>Floats of weights for one output block.</summary>
        public int OutBlockWeights { get; }

        public int PackedWeightLength { get; }

        /// <summary>
        /// Whether the tiles number the output pixels as one flat run, row after row with nothing between (so only the
        /// plane's last tile is partial), and the kernel reads each pixel's input through a table rather than one
        /// <see cref="PixelStep"/> after the other (the AVX2 path, see <see cref="DirectKernelAvx2"/>).
        /// </summary>
        public bool Flat { get; }

        /// <summary>Output pixels of one plane.</summary>
        public int Pixels { get; }

        /// <summary>Where pixel <paramref name="pixel"/> of the numbering reads its first input (kernel tap 0, block 0), in floats.</summary>
        public long TileOffset(long pixel) => (pixel / TileRowWidth * InputRowStep) + (pixel % TileRowWidth * PixelStep);

        /// <summary>
        /// Writes <see cref="TileOffset"/> of pixels <paramref name="firstPixel"/> … <paramref name="firstPixel"/> +
        /// <paramref name="count"/> − 1 to <paramref name="offsets"/>, walking the rows instead of dividing per pixel. In a
        /// flat run pixels past the plane's last (the last tile's slack) repeat the last pixel, so they read inside the
        /// plane; their sums are dropped.
        /// </summary>
        public unsafe void PixelOffsets(int firstPixel, int count, nint* offsets)
        {
            int y = firstPixel / TileRowWidth;
            int x = firstPixel % TileRowWidth;
            int real = Flat ? Math.Min(count, Pixels - firstPixel) : count;
            for (int p = 0; p < real; p++)
            {
                offsets[p] = ((nint)y * InputRowStep) + ((nint)x * PixelStep);
                if (++x == TileRowWidth)
                {
                    x = 0;
                    y++;
                }
            }

            for (int p = real; p < count; p++)
            {
                offsets[p] = offsets[real - 1];
            }
        }
    }
}
