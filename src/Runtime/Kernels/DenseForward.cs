using System;
using System.Runtime.CompilerServices;
using ConvGen.Networks;
using ConvGen.Threading;

namespace ConvGen.Kernels
{
    /// <summary>
    /// The forward product of a Dense layer over a batch, <c>y[n, u] = f(Σᵢ x[n, i]·W[u, i] + b[u])</c>, shared by the
    /// layer's workers: each computes the outputs of its share of the units for every sample.
    /// </summary>
    /// <remarks>
    /// <para>Three ways (<see cref="Choose"/>):</para>
    /// <list type="bullet">
    /// <item>A batch of at least <see cref="PackedMinimumBatch"/> samples runs the product the other way round,
    /// <c>yᵀ = W·xᵀ</c>: W (units × inputs) is the GEMM's left operand, packed into the micro-kernels' panels by a
    /// <see cref="PackedMatrix"/> once per change of the weights, where <c>y = x·Wᵀ</c> packs Wᵀ as the right operand on
    /// every call; the bias and the activation are the product's row epilogue; the part's rows of yᵀ are then
    /// transposed into its columns of y.</item>
    /// <item>A batch of 2 to <see cref="SampleDotsMaximumBatch"/> samples on one thread runs <see cref="SampleDots"/>:
    /// the product is bound by reading W, which it reads once per <see cref="SampleDots.MaxSamples"/> samples, where both
    /// GEMMs fill most of their tiles' lanes with samples that are not there.</item>
    /// <item>Everything else runs <c>y = x·Wᵀ</c> by the GEMM on the plain weights: one sample (its matrix-vector path,
    /// which also splits over threads), 7 and 8 samples, the scalar path, and large batches of weights too big to pack.</item>
    /// </list>
    /// <para>Measured with <c>ConvGen.Benchmarks --dense 3</c> (bench/ConvGen.Benchmarks/DenseQuickRun.cs: one thread pinned
    /// with <c>taskset -c 0</c>, the three ways alternated in one process, best of 3 rounds of thread CPU time; AMD EPYC
    /// Zen 4 at the AVX-512 level, 2026-11-29 22:40 UTC, load average 3.9–9.5 from other builds, so read ±10%), in
    /// GFLOP/s, GEMM / SampleDots / packed: LeNet-5's 2450→500 at batch 1 32.3 / 31.9 / 6.0, at 2 13.4 / 41.8 / 12.0,
    /// at 4 24.7 / 35.3 / 22.4, at 6 36.0 / 40.5 / 34.9, at 7 41.7 / 37.6 / 39.9, at 8 51.1 / 38.4 / 47.9, at 9 37.1 /
    /// 38.7 / 51.7, at 16 67.9 / 36.9 / 96.2, at 64 93.5 / 36.3 / 96.8; ResNet-18's 512→1000 at 2 14.4 / 49.0 / 12.4, at 7
    /// 49.6 / 52.0 / 41.4, at 8 59.7 / 49.9 / 51.1, at 9 43.2 / 49.4 / 57.9, at 16 74.7 / 52.2 / 102.7, at 64 93.5 / 78.3
    /// / 102.5; GoogLeNet's 1024→1000 and LeNet-5's 500→10 alike. So SampleDots from 2 to 6 samples (2–3× the GEMM at 2–4),
    /// the GEMM at 7 and 8 (8 rows fill an AVX-512 tile exactly), packed weights from 9. Re-checked on the quiet machine
    /// (23:32 UTC, load average 1.1, <c>--dense 2 'lenet5 dense1'</c>, twice): batch 1 36.5 / 30.6 / 6.0, batch 2 13.9 /
    /// 42.8–49.5 / 12.2, batch 64 99.5 / 45.2 / 111.6.</para>
    /// <para>The packed way and the GEMM give the same sum of the same products in the same order (the micro-kernels sum
    /// a tile's elements alike wherever it sits), so neither the part count nor the switch between them changes a bit,
    /// except where the GEMM takes its matrix-vector path, which sums in another order: one sample, or a part of one
    /// unit. <see cref="SampleDots"/> sums in its own order.</para>
    /// <para>Weights are packed ahead only when they are those of the previous pass (<see cref="ParameterWrites.Settled"/>):
    /// in training each forward pass has new weights, and packing all of them for one product cost more than it saved
    /// (LeNet-5's training step at batch 64, one thread, <c>LayerProfile</c>, alternated with the build before: dense1's
    /// forward 1.93–1.94 → 2.23–2.28 ms, and its backward 3.14–3.21 → 3.56–3.68 ms behind it). The first inference call
    /// after a load or a step therefore multiplies by the GEMM, the next ones by the packed weights; the two give the same
    /// bits (above).</para>
    /// <para>Weights of more than <see cref="MaxPackedFloats"/> floats are never packed ahead: the copy would double the
    /// layer's memory (VGG-16's 25088→4096 layer holds 411 MB of weights).</para>
    /// <para>Threading: <see cref="Apply"/> may run on several threads at once (the layer's workers) as long as they pass
    /// the same weights: the check-and-pack runs under the packed matrix's lock, and the products only read it.</para>
    /// </remarks>
    public sealed unsafe class DenseForward
    {
        /// <summary>The largest weight matrix packed ahead: 8 Mi floats (32 MiB).</summary>
        public const int MaxPackedFloats = 8 * 1024 * 1024;

        private readonly PackedMatrix? _packed;

        // This thread's block of yᵀ before it is transposed into y, grown on demand and shared by every instance on the thread.
        [ThreadStatic] private static float[]? t_transposed;

        /// <param name="units">Outputs per sample: the rows of W.</param>
        /// <param name="inputs">Inputs per sample: the columns of W.</param>
        /// <exception cref="ArgumentOutOfRangeException">A size is less than 1.</exception>
        public DenseForward(int units, int inputs)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(units, 1);
            ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
            Units = units;
            Inputs = inputs;
            if ((long)units * inputs <= MaxPackedFloats)
            {
                _packed = new PackedMatrix(units, inputs);
            }
        }

        /// <summary>Outputs per sample.</summary>
        public int Units { get; }

        /// <summary>Inputs per sample.</summary>
        public int Inputs { get; }

        /// <summary>The largest batch whose product runs on <see cref="SampleDots"/> (from 2 samples on); see the remarks.</summary>
        public const int SampleDotsMaximumBatch = 6;

        /// <summary>The smallest batch whose product runs on the packed weights (<c>yᵀ = W·xᵀ</c>); see the remarks.</summary>
        public const int PackedMinimumBatch = 9;

        /// <summary>The ways a call can multiply; see the remarks.</summary>
        internal enum Way
        {
            /// <summary>Up to <see cref="SampleDots.MaxSamples"/> samples per pass over the plain weights.</summary>
            SampleDots,

            /// <summary><c>yᵀ = W·xᵀ</c> on the weights packed ahead.</summary>
            Packed,

            /// <summary><c>y = x·Wᵀ</c> by the GEMM on the plain weights.</summary>
            Plain,
        }

        /// <summary>When set, every call takes this way where it can (tests and measurements compare the ways).</summary>
        internal static Way? ForcedWay { get; set; }

        /// <summary>
        /// The way a call over <paramref name="batch"/> samples granted <paramref name="threads"/> threads takes at the
        /// current <see cref="Simd.Level"/>. <see cref="SampleDots"/> runs on the calling thread only, and needs vectors;
        /// weights are packed ahead only when <paramref name="settled"/> (<see cref="ParameterWrites.Settled"/>).
        /// </summary>
        internal Way Choose(int batch, int threads, bool settled)
        {
            var dots = Simd.IsVectorized && threads == 1;
            if (ForcedWay is { } forced && (forced != Way.Packed || _packed is not null) && (forced != Way.SampleDots || dots))
            {
                return forced;
            }

            return batch >= PackedMinimumBatch && _packed is not null && settled ? Way.Packed
                : batch > 1 && batch <= SampleDotsMaximumBatch && dots ? Way.SampleDots
                : Way.Plain;
        }

        /// <summary>
        /// Computes part <paramref name="part"/> of <paramref name="parts"/> of the layer's outputs: for every sample n,
        /// <c>y[n, u] = activation(Σᵢ x[n, i]·W[u, i] + bias[u])</c> over this part's units u.
        /// </summary>
        /// <param name="x">The inputs: <paramref name="batch"/> rows of <see cref="Inputs"/> floats, <paramref name="ldx"/> apart.</param>
        /// <param name="ldx">Floats from one sample's inputs to the next (at least <see cref="Inputs"/>).</param>
        /// <param name="weights">W, <see cref="Units"/> × <see cref="Inputs"/>, row-major.</param>
        /// <param name="writes">
        /// The network's record of writes to its parameters: weights are packed ahead only when <see cref="ParameterWrites.Settled"/>,
        /// and repacked when <see cref="ParameterWrites.Stamp"/> says they changed (as <see cref="PackedMatrix.SetValues"/> takes it).
        /// </param>
        /// <param name="bias">One value per unit, or empty for none.</param>
        /// <param name="activation">An element-wise activation (not <see cref="Activation.Softmax"/>).</param>
        /// <param name="y">The outputs: <paramref name="batch"/> rows of <see cref="Units"/> floats, <paramref name="ldy"/> apart.</param>
        /// <param name="ldy">Floats from one sample's outputs to the next (at least <see cref="Units"/>).</param>
        /// <param name="batch">Samples.</param>
        /// <param name="part">This caller's part, from 0.</param>
        /// <param name="parts">How many parts the units are shared among (the layer's workers).</param>
        /// <param name="threads">Threads the product may use, as <see cref="Gemm"/>'s <c>threads</c>.</param>
        /// <exception cref="ArgumentException">
        /// A span is too short or the weights' length is not <see cref="Units"/> × <see cref="Inputs"/>, a leading dimension is
        /// too small, the bias is neither empty nor one per unit, or the activation is not element-wise.
        /// </exception>
        /// <exception cref="ArgumentOutOfRangeException">The batch is negative, or the part is outside [0, <paramref name="parts"/>).</exception>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Apply(ReadOnlySpan<float> x, int ldx, ReadOnlySpan<float> weights, ParameterWrites writes, ReadOnlySpan<float> bias, Activation activation,
            Span<float> y, int ldy, int batch, int part, int parts, int threads)
        {
            ArgumentNullException.ThrowIfNull(writes);
            CheckArguments(x.Length, ldx, weights.Length, bias.Length, activation, y.Length, ldy, batch, part, parts);
            if (batch == 0)
            {
                return;
            }

            var way = Choose(batch, threads, writes.Settled);
            if (way != Way.Packed || _packed is not { } packed)
            {
                ApplyPlain(way, x, ldx, weights, bias, activation, y, ldy, batch, part, parts, threads);
                return;
            }

            // Whole panels of W's rows per part, so each part's rows start where a panel of the packed matrix does.
            var granule = Math.Max(1, Gemm.PanelRows(Simd.Level));
            var (p0, p1) = Partition.Range((Units + granule - 1) / granule, part, parts);
            var u0 = p0 * granule;
            var width = Math.Min(p1 * granule, Units) - u0;
            if (width <= 0)
            {
                return;
            }

            packed.SetValues(weights, writes.Stamp); // repacks only when the weights changed since the last call
            var transposed = t_transposed is { } buffer && buffer.Length >= width * batch
                ? buffer
                : t_transposed = GC.AllocateUninitializedArray<float>(Math.Max(width * batch, t_transposed?.Length * 2 ?? 0));

            // yᵀ[width×batch] = activation(W[u0.., :] · xᵀ + bias), then into y's columns u0..
            Gemm.MultiplyRows(packed, row0: u0, rows: width, n: batch, b: x, ldb: ldx, transB: true, c: transposed, ldc: batch,
                rowShift: bias.IsEmpty ? default : bias.Slice(u0, width), activation, threads);
            Transpose(transposed, width, batch, y.Slice(u0), ldy);
        }

        /// <summary>
        /// <c>y = x·Wᵀ</c> on the plain weights, this part's units (by <see cref="SampleDots"/> or the GEMM, as
        /// <paramref name="way"/> says), then the bias and activation row by row.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void ApplyPlain(Way way, ReadOnlySpan<float> x, int ldx, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Activation activation,
            Span<float> y, int ldy, int batch, int part, int parts, int threads)
        {
            var (u0, u1) = Partition.Range(Units, part, parts);
            var width = u1 - u0;
            if (width == 0)
            {
                return;
            }

            var block = y.Slice(u0, ((batch - 1) * ldy) + width);
            if (way == Way.SampleDots)
            {
                fixed (float* px = x)
                fixed (float* pw = weights)
                fixed (float* py = y)
                {
                    SampleDots.Multiply(px, ldx, batch, pw, Inputs, u0, u1, py, ldy);
                }
            }
            else
            {
                Gemm.Multiply(transA: false, transB: true, m: batch, n: width, k: Inputs,
                    x, ldx, weights.Slice(u0 * Inputs, width * Inputs), Inputs, block, ldy, accumulate: false, threads);
            }

            if (bias.IsEmpty && activation == Activation.None)
            {
                return;
            }

            var unitBias = bias.IsEmpty ? default : bias.Slice(u0, width);
            for (var n = 0; n < batch; n++)
            {
                VectorOps.AddBiasActivate(block.Slice(n * ldy, width), unitBias, activation);
            }
        }

        /// <summary>
        /// y[n, r] = source[r, n] for the <paramref name="rows"/> × <paramref name="columns"/> row-major
        /// <paramref name="source"/>: 8×8 blocks through registers, the edges one by one.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Transpose(ReadOnlySpan<float> source, int rows, int columns, Span<float> y, int ldy)
        {
            fixed (float* s = source)
            fixed (float* d = y)
            {
                var r = 0;
                if (Simd.IsVectorized)
                {
                    for (; r + 8 <= rows; r += 8)
                    {
                        var n = 0;
                        for (; n + 8 <= columns; n += 8)
                        {
                            Gemm.Transpose8x8(s + (r * columns) + n, columns, rows: 8, d + ((nint)n * ldy) + r, ldy);
                        }

                        TransposeEdge(s, columns, r, r + 8, n, d, ldy);
                    }
                }

                TransposeEdge(s, columns, r, rows, 0, d, ldy);
            }
        }

        /// <summary>The scalar transpose of source rows [r0, r1) from column n0 on.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void TransposeEdge(float* source, int columns, int r0, int r1, int n0, float* y, int ldy)
        {
            for (var n = n0; n < columns; n++)
            {
                for (var r = r0; r < r1; r++)
                {
                    y[((nint)n * ldy) + r] = source[(r * columns) + n];
                }
            }
        }

        private void CheckArguments(int xLength, int ldx, int weightsLength, int biasLength, Activation activation, int yLength, int ldy, int batch, int part, int parts)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(batch);
            ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
            ArgumentOutOfRangeException.ThrowIfNegative(part);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(part, parts);
            if (weightsLength != (long)Units * Inputs)
            {
                throw new ArgumentException($"weights holds {weightsLength} floats; a {Units}×{Inputs} layer needs {(long)Units * Inputs}.", "weights");
            }

            if (biasLength != 0 && biasLength != Units)
            {
                throw new ArgumentException($"bias holds {biasLength} floats; it must be empty or hold one per unit ({Units}).", "bias");
            }

            if (activation == Activation.Softmax)
            {
                throw new ArgumentException("Softmax is not element-wise: apply it to the outputs afterwards.", nameof(activation));
            }

            CheckRows(xLength, ldx, Inputs, batch, "x", "ldx");
            CheckRows(yLength, ldy, Units, batch, "y", "ldy");
        }

        private static void CheckRows(int length, int ld, int width, int batch, string name, string ldName)
        {
            if (ld < width)
            {
                throw new ArgumentException($"{ldName} is {ld}; rows of {width} floats need at least {width}.", ldName);
            }

            var needed = batch == 0 ? 0 : ((long)(batch - 1) * ld) + width;
            if (length < needed)
            {
                throw new ArgumentException($"{name} holds {length} floats; {batch} rows of {width}, {ld} apart, need {needed}.", name);
            }
        }
    }
}
