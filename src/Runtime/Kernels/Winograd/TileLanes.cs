using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvGen.Kernels.Winograd
{
    /// <summary>
    /// A group of tiles handled at once by the Winograd transforms, one tile per lane: the transforms are written once
    /// against this interface and run with eight lanes (<see cref="Lanes8"/>, AVX2) or one (<see cref="Lanes1"/>, scalar).
    /// Every lane computes the same arithmetic in the same order, so a tile's result does not depend on its lane.
    /// </summary>
    internal unsafe interface ITileLanes<TSelf>
        where TSelf : struct, ITileLanes<TSelf>
    {
        /// <summary>Tiles per group.</summary>
        static abstract int Count { get; }

        /// <summary>Reads <see cref="Count"/> floats (all of them must be readable, even past the last valid tile).</summary>
        static abstract TSelf Load(float* source);

        /// <summary>Reads 2·<see cref="Count"/> floats and returns the even-indexed ones and the odd-indexed ones.</summary>
        static abstract void Deinterleave(float* source, out TSelf even, out TSelf odd);

        /// <summary>Writes all <see cref="Count"/> lanes.</summary>
        static abstract void Store(float* target, TSelf value);

        /// <summary>
        /// Writes <c>even[0], odd[0], even[1], odd[1], …</c>, the first <paramref name="columns"/> of them: each plus the
        /// <paramref name="residual"/> element at the same position unless <paramref name="residual"/> is null, then
        /// max(0, ·) when <paramref name="relu"/> (a NaN stays NaN). It reads no residual element but those
        /// <paramref name="columns"/>, each before writing its position, so the residual may be the target itself.
        /// </summary>
        static abstract void StoreInterleaved(float* target, TSelf even, TSelf odd, int columns, float* residual, bool relu);

        /// <summary><c>value·scale + shift</c>, rounded once.</summary>
        static abstract TSelf Epilogue(TSelf value, float scale, float shift);

        static abstract TSelf operator +(TSelf left, TSelf right);

        static abstract TSelf operator -(TSelf left, TSelf right);
    }

    /// <summary>Eight tiles per group in one <see cref="Vector256{T}"/> (AVX2; also the AVX-512 path's transforms).</summary>
    internal readonly unsafe struct Lanes8 : ITileLanes<Lanes8>
    {
        private readonly Vector256<float> _value;

        private Lanes8(Vector256<float> value)
        {
            _value = value;
        }

        public static int Count => 8;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes8 Load(float* source) => new(Avx.LoadVector256(source));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Deinterleave(float* source, out Lanes8 even, out Lanes8 odd)
        {
            // Within each 128-bit half: [a0 a2 b0 b2 | a4 a6 b4 b6]; then the 64-bit quarters reordered to a0 a2 a4 a6 b0 b2 b4 b6.
            var a = Avx.LoadVector256(source);
            var b = Avx.LoadVector256(source + 8);
            even = new(Avx2.Permute4x64(Avx.Shuffle(a, b, 0b10_00_10_00).AsDouble(), 0b11_01_10_00).AsSingle());
            odd = new(Avx2.Permute4x64(Avx.Shuffle(a, b, 0b11_01_11_01).AsDouble(), 0b11_01_10_00).AsSingle());
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(float* target, Lanes8 value) => Avx.Store(target, value._value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void StoreInterleaved(float* target, Lanes8 even, Lanes8 odd, int columns, float* residual, bool relu)
        {
            // [e0 o0 e1 o1 | e4 o4 e5 o5] and [e2 o2 e3 o3 | e6 o6 e7 o7], then their 128-bit halves in order.
            var low = Avx.UnpackLow(even._value, odd._value);
            var high = Avx.UnpackHigh(even._value, odd._value);
            var first = Avx.Permute2x128(low, high, 0x20);
            var second = Avx.Permute2x128(low, high, 0x31);
            if (columns == 16)
            {
                if (residual != null)
                {
                    first = Avx.Add(first, Avx.LoadVector256(residual));
                    second = Avx.Add(second, Avx.LoadVector256(residual + 8));
                }

                Avx.Store(target, Clamp(first, relu));
                Avx.Store(target + 8, Clamp(second, relu));
                return;
            }

            // A partial tile row: the same arithmetic, through masked loads and stores that touch only the first
            // `columns` positions (masked-off lanes are neither read nor written, and cannot fault).
            var lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
            var firstMask = Vector256.LessThan(lanes, Vector256.Create(columns)).AsSingle();
            var secondMask = Vector256.LessThan(lanes, Vector256.Create(columns - 8)).AsSingle();
            if (residual != null)
            {
                first = Avx.Add(first, Avx.MaskLoad(residual, firstMask));
                second = Avx.Add(second, Avx.MaskLoad(residual + 8, secondMask));
            }

            Avx.MaskStore(target, firstMask, Clamp(first, relu));
            Avx.MaskStore(target + 8, secondMask, Clamp(second, relu));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes8 Epilogue(Lanes8 value, float scale, float shift) =>
            new(Fma.MultiplyAdd(value._value, Vector256.Create(scale), Vector256.Create(shift)));

        /// <summary>max(0, v) when <paramref name="relu"/>, with the bound first: maxps returns its second operand, v, when either is NaN.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<float> Clamp(Vector256<float> v, bool relu) => relu ? Avx.Max(Vector256<float>.Zero, v) : v;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes8 operator +(Lanes8 left, Lanes8 right) => new(Avx.Add(left._value, right._value));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes8 operator -(Lanes8 left, Lanes8 right) => new(Avx.Subtract(left._value, right._value));
    }

    /// <summary>One tile per group: the scalar path.</summary>
    internal readonly unsafe struct Lanes1 : ITileLanes<Lanes1>
    {
        private readonly float _value;

        private Lanes1(float value)
        {
            _value = value;
        }

        public static int Count => 1;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes1 Load(float* source) => new(*source);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Deinterleave(float* source, out Lanes1 even, out Lanes1 odd)
        {
            even = new(source[0]);
            odd = new(source[1]);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(float* target, Lanes1 value) => *target = value._value;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void StoreInterleaved(float* target, Lanes1 even, Lanes1 odd, int columns, float* residual, bool relu)
        {
            target[0] = Finish(even._value, residual, relu);
            if (columns > 1)
            {
                target[1] = Finish(odd._value, residual == null ? null : residual + 1, relu);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes1 Epilogue(Lanes1 value, float scale, float shift) => new(System.MathF.FusedMultiplyAdd(value._value, scale, shift));

        /// <summary>y plus the residual element when there is one, then max(y, 0) when <paramref name="relu"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static float Finish(float y, float* residual, bool relu)
        {
            if (residual != null)
            {
                y += *residual;
            }

            return relu ? System.MathF.Max(y, 0f) : y;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes1 operator +(Lanes1 left, Lanes1 right) => new(left._value + right._value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes1 operator -(Lanes1 left, Lanes1 right) => new(left._value - right._value);
    }
}
