using System;
using System.Threading;

namespace ConvGen.Kernels
{
    public static unsafe partial class Gemm
    {
        /// <summary>
        /// When set, every block of columns of a split product packs op(A) for itself, as before the blocks shared one
        /// packed copy. Tests and measurements compare the two ways: the result is bit-identical (the same packed values
        /// meet the same micro-kernels).
        /// </summary>
        internal static bool PackSharedOperandPerPart { get; set; }

        /// <summary>Most floats of packed op(A) a split product shares; a larger op(A) is packed by each block for itself.</summary>
        private const int MaxSharedFloats = 1 << 22;

        /// <summary>
        /// op(A) of one split product, packed once for all of its blocks of columns: cut as the packed path cuts it (KC deep,
        /// MC rows, panels of MR rows), each (k, rows) block packed by whichever block of columns claims it first.
        /// </summary>
        /// <remarks>
        /// Every block of columns reads all of op(A). Before it computes, part p of P packs the A blocks p, p + P, … it is
        /// the first to claim, so two parts that start together pack half each; a block it then needs and nobody has
        /// claimed it packs itself (so a part left alone, as when the pool's helper is busy, still finishes), and a block
        /// another thread is packing it waits for: that thread is running its packing loop, which takes no lock and calls
        /// nothing that waits, so the wait ends. Packing copies values, so who packs a block changes no result.
        /// </remarks>
        private sealed class SharedPanels
        {
            private const int Unclaimed = 0, Claimed = 1, Packed = 2;

            // Floats left free after each block: packing a full panel of an A that is not transposed stores up to 2 floats
            // past it (Transpose8x8 with MR = 6), which must not land in a block another thread has packed. 16 keeps the
            // blocks 64-byte aligned.
            private const int Gap = 16;

            private float[] _buffer = [];
            private float* _packed;
            private int[] _state = [];
            private bool _transA;
            private float* _a;
            private nint _lda;
            private int _m, _k, _mr, _paddedRows, _rowBlocks, _blocks;

            /// <summary>Whether <paramref name="path"/> reads op(A) packed in MR-row panels that a split by columns can share.</summary>
            public static bool Shares(Path path, int m, int k) =>
                !PackSharedOperandPerPart && path is Path.BlockedAvx2 or Path.BlockedAvx512
                && (long)RoundUp(m, MicroRows(path)) * k <= MaxSharedFloats;

            /// <summary>Takes op(A) of a product about to be split by columns; no block is packed yet.</summary>
            public void Start(Path path, bool transA, float* a, nint lda, int m, int k)
            {
                _transA = transA;
                _a = a;
                _lda = lda;
                _m = m;
                _k = k;
                _mr = MicroRows(path);
                _paddedRows = RoundUp(m, _mr);
                _rowBlocks = (m + MC - 1) / MC;
                _blocks = (k + KC - 1) / KC * _rowBlocks;
                int floats = _paddedRows * k + _blocks * Gap + 64;
                if (_buffer.Length < floats)
                {
                    // Exactly what this product needs: the largest op(A) a caller splits sets the size once.
                    _buffer = GC.AllocateUninitializedArray<float>(floats, pinned: true);
                }

                fixed (float* p = _buffer)
                {
                    _packed = Align(p); // the array is pinned: the pointer stays valid
                }

                if (_state.Length < _blocks)
                {
                    _state = new int[Math.Max(_blocks, 2 * _state.Length)];
                }

                Array.Clear(_state, 0, _blocks);
            }

            /// <summary>Forgets the operand: the pointer is valid only while the caller keeps it pinned.</summary>
            public void Finish()
            {
                _a = null;
            }

            /// <summary>Packs the blocks part <paramref name="part"/> of <paramref name="parts"/> is the first to claim among its share.</summary>
            public void PackShare(int part, int parts)
            {
                for (int block = part; block < _blocks; block += parts)
                {
                    if (Interlocked.CompareExchange(ref _state[block], Claimed, Unclaimed) == Unclaimed)
                    {
                        Pack(block);
                    }
                }
            }

            /// <summary>The packed block of op(A) at depth <paramref name="pc"/> and row <paramref name="ic"/> (multiples of KC and MC), packed or waited for first if need be.</summary>
            public float* Block(int pc, int ic)
            {
                int block = pc / KC * _rowBlocks + ic / MC;
                int state = Volatile.Read(ref _state[block]);
                if (state != Packed)
                {
                    if (state == Unclaimed && Interlocked.CompareExchange(ref _state[block], Claimed, Unclaimed) == Unclaimed)
                    {
                        Pack(block);
                    }
                    else
                    {
                        var spin = default(SpinWait);
                        while (Volatile.Read(ref _state[block]) != Packed)
                        {
                            spin.SpinOnce(sleep1Threshold: -1);
                        }
                    }
                }

                return At(block, pc, ic);
            }

            /// <summary>Where block <paramref name="block"/>, at depth <paramref name="pc"/> and row <paramref name="ic"/>, is packed.</summary>
            private float* At(int block, int pc, int ic) => _packed + (nint)pc * _paddedRows + (nint)ic * Math.Min(KC, _k - pc) + (nint)block * Gap;

            private void Pack(int block)
            {
                int pc = block / _rowBlocks * KC;
                int ic = block % _rowBlocks * MC;
                int kc = Math.Min(KC, _k - pc);
                PackA(_transA, _a, _lda, ic, Math.Min(MC, _m - ic), pc, kc, _mr, At(block, pc, ic));
                Volatile.Write(ref _state[block], Packed);
            }

            private static int MicroRows(Path path) => path == Path.BlockedAvx512 ? Kernel8x32.MR : Kernel6x16.MR;
        }
    }
}
