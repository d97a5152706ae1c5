using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ConvGen.Kernels
{
    /// <summary>
    /// Element-wise kernels the generated code calls on contiguous runs (a channel plane, a dense row): bias, activation,
    /// their derivatives, accumulation. Each has a scalar path and a vector path chosen by <see cref="Simd.Level"/>.
    /// </summary>
    public static class VectorOps
    {
        /// <summary>values[i] = f(values[i]·scale + shift), f the fused activation (Softmax is not element-wise and not accepted).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void ScaleShiftActivate(Span<float> values, float scale, float shift, Activation activation)
        {
            var i = Simd.IsVectorized ? activation switch
            {
                Activation.None => ScaleShiftClamped<NoClamp>(values, scale, shift),
                Activation.ReLU => ScaleShiftClamped<ZeroFloor>(values, scale, shift),
                Activation.ReLU6 => ScaleShiftClamped<ZeroToSix>(values, scale, shift),
                _ => 0,
            } : 0;
            for (; i < values.Length; i++)
            {
                values[i] = Apply(MathF.FusedMultiplyAdd(values[i], scale, shift), activation);
            }
        }

        /// <summary>
        /// values[i] = f(values[i]·scale + shift + addend[i]): a row of a product's epilogue with a residual Add fused in.
        /// Bit for bit <see cref="ScaleShiftActivate"/> with <see cref="Activation.None"/> followed by
        /// <see cref="AddActivate"/> of <paramref name="addend"/> on the same span, in one pass.
        /// </summary>
        /// <exception cref="ArgumentException"><paramref name="addend"/> is not as long as <paramref name="values"/>.</exception>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void ScaleShiftAddActivate(Span<float> values, float scale, float shift, ReadOnlySpan<float> addend, Activation activation)
        {
            if (addend.Length != values.Length)
            {
                throw new ArgumentException($"The addend has {addend.Length} values for a row of {values.Length}.", nameof(addend));
            }

            var i = Simd.IsVectorized ? activation switch
            {
                Activation.None => ScaleShiftSumClamped<NoClamp>(values, scale, shift, addend),
                Activation.ReLU => ScaleShiftSumClamped<ZeroFloor>(values, scale, shift, addend),
                Activation.ReLU6 => ScaleShiftSumClamped<ZeroToSix>(values, scale, shift, addend),
                _ => 0,
            } : 0;
            for (; i < values.Length; i++)
            {
                values[i] = Apply(MathF.FusedMultiplyAdd(values[i], scale, shift) + addend[i], activation);
            }
        }

        /// <summary>values[i] = f(values[i] + bias[i]) for a dense row; an empty <paramref name="bias"/> means none.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void AddBiasActivate(Span<float> values, ReadOnlySpan<float> bias, Activation activation)
        {
            if (bias.IsEmpty)
            {
                Activate(values, values, activation);
                return;
            }

            if (bias.Length != values.Length)
            {
                throw new ArgumentException($"Bias has {bias.Length} values for a row of {values.Length}.", nameof(bias));
            }

            AddActivate(values, bias, values, activation);
        }

        /// <summary>gradient[i] *= f′ at the point whose activation output is output[i] (ReLU, Tanh, Sigmoid, ReLU6; None leaves it).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void ActivationBackward(Span<float> gradient, ReadOnlySpan<float> output, Activation activation)
        {
            if (activation == Activation.None)
            {
                return;
            }

            if (gradient.Length != output.Length)
            {
                throw new ArgumentException("Gradient and output lengths differ.", nameof(output));
            }

            var i = 0;
            if (Simd.IsVectorized)
            {
                ref var g0 = ref MemoryMarshal.GetReference(gradient);
                ref var y0 = ref MemoryMarshal.GetReference(output);
                var one = Vector256.Create(1f);
                for (; i <= gradient.Length - 8; i += 8)
                {
                    var g = Vector256.LoadUnsafe(ref g0, (nuint)i);
                    var y = Vector256.LoadUnsafe(ref y0, (nuint)i);
                    g = activation switch
                    {
                        Activation.ReLU => Vector256.ConditionalSelect(Vector256.GreaterThan(y, Vector256<float>.Zero), g, Vector256<float>.Zero),
                        Activation.Tanh => g * (one - (y * y)),
                        Activation.Sigmoid => g * y * (one - y),
                        Activation.ReLU6 => Vector256.ConditionalSelect(
                            Vector256.GreaterThan(y, Vector256<float>.Zero) & Vector256.LessThan(y, Vector256.Create(6f)), g, Vector256<float>.Zero),
                        _ => throw Unsupported(activation),
                    };
                    g.StoreUnsafe(ref g0, (nuint)i);
                }
            }

            for (; i < gradient.Length; i++)
            {
                gradient[i] *= Derivative(output[i], activation);
            }
        }

        /// <summary>destination[i] = f(source[i]) for a standalone activation layer; <paramref name="slope"/> is LeakyReLU's.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Activate(ReadOnlySpan<float> source, Span<float> destination, Activation activation, float slope = 0f)
        {
            CheckSameLength(source, destination);
            var i = Simd.IsVectorized ? activation switch
            {
                Activation.None => Clamped<NoClamp>(source, destination),
                Activation.ReLU => Clamped<ZeroFloor>(source, destination),
                Activation.ReLU6 => Clamped<ZeroToSix>(source, destination),
                _ => 0,
            } : 0;
            for (; i < source.Length; i++)
            {
                destination[i] = Apply(source[i], activation);
            }
        }

        /// <summary>destination[i] = x ≥ 0 ? x : slope·x (PyTorch's LeakyReLU).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void LeakyReLU(ReadOnlySpan<float> source, Span<float> destination, float slope)
        {
            CheckSameLength(source, destination);
            for (var i = 0; i < source.Length; i++)
            {
                var x = source[i];
                destination[i] = x > 0f ? x : x * slope;
            }
        }

        /// <summary>inputGradient[i] = outputGradient[i] · (input[i] &gt; 0 ? 1 : slope).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void LeakyReLUBackward(ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> input, Span<float> inputGradient, float slope)
        {
            CheckSameLength(outputGradient, inputGradient);
            CheckSameLength(input, inputGradient);
            for (var i = 0; i < input.Length; i++)
            {
                inputGradient[i] = input[i] > 0f ? outputGradient[i] : outputGradient[i] * slope;
            }
        }

        /// <summary>destination[i] = x·σ(x) = x / (1 + e^−x) (Swish, PyTorch's SiLU).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Swish(ReadOnlySpan<float> source, Span<float> destination)
        {
            CheckSameLength(source, destination);
            for (var i = 0; i < source.Length; i++)
            {
                var x = source[i];
                destination[i] = x / (1f + MathF.Exp(-x));
            }
        }

        /// <summary>
        /// inputGradient[i] = outputGradient[i] · σ(x)(1 + x(1 − σ(x))), x = input[i]: Swish's derivative needs the input
        /// (the output does not determine it, Swish is not monotonic). The gradients may be one span (in place).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void SwishBackward(ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> input, Span<float> inputGradient)
        {
            CheckSameLength(outputGradient, inputGradient);
            CheckSameLength(input, inputGradient);
            for (var i = 0; i < input.Length; i++)
            {
                var x = input[i];
                var sigma = 1f / (1f + MathF.Exp(-x));
                inputGradient[i] = outputGradient[i] * sigma * (1f + (x * (1f - sigma)));
            }
        }

        /// <summary>
        /// destination[i] = f(first[i] + second[i]): a two-input Add and its activation in one pass over memory instead of a
        /// copy, an add and an activation pass. The destination may be one of the inputs.
        /// </summary>
        /// <exception cref="ArgumentException">The spans' lengths differ.</exception>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void AddActivate(ReadOnlySpan<float> first, ReadOnlySpan<float> second, Span<float> destination, Activation activation)
        {
            CheckSameLength(first, destination);
            CheckSameLength(second, destination);
            var i = Simd.IsVectorized ? activation switch
            {
                Activation.None => SumClamped<NoClamp>(first, second, destination),
                Activation.ReLU => SumClamped<ZeroFloor>(first, second, destination),
                Activation.ReLU6 => SumClamped<ZeroToSix>(first, second, destination),
                _ => 0,
            } : 0;
            for (; i < destination.Length; i++)
            {
                destination[i] = Apply(first[i] + second[i], activation);
            }
        }

        /// <summary>destination[i] += source[i].</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Add(ReadOnlySpan<float> source, Span<float> destination)
        {
            CheckSameLength(source, destination);
            var i = 0;
            if (Simd.IsVectorized)
            {
                ref var s0 = ref MemoryMarshal.GetReference(source);
                ref var d0 = ref MemoryMarshal.GetReference(destination);
                for (; i <= source.Length - 8; i += 8)
                {
                    (Vector256.LoadUnsafe(ref d0, (nuint)i) + Vector256.LoadUnsafe(ref s0, (nuint)i)).StoreUnsafe(ref d0, (nuint)i);
                }
            }

            for (; i < source.Length; i++)
            {
                destination[i] += source[i];
            }
        }

        /// <summary>
        /// The sum of <paramref name="values"/>. The vector path keeps four independent 8-lane partial sums (so the adds
        /// overlap instead of waiting on one another); the scalar path accumulates in double.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static float Sum(ReadOnlySpan<float> values)
        {
            var i = 0;
            var total = 0f;
            if (Simd.IsVectorized && values.Length >= 32)
            {
                ref var v0 = ref MemoryMarshal.GetReference(values);
                Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
                for (; i <= values.Length - 32; i += 32)
                {
                    s0 += Vector256.LoadUnsafe(ref v0, (nuint)i);
                    s1 += Vector256.LoadUnsafe(ref v0, (nuint)(i + 8));
                    s2 += Vector256.LoadUnsafe(ref v0, (nuint)(i + 16));
                    s3 += Vector256.LoadUnsafe(ref v0, (nuint)(i + 24));
                }

                total = Vector256.Sum((s0 + s1) + (s2 + s3));
            }

            double rest = 0;
            for (; i < values.Length; i++)
            {
                rest += values[i];
            }

            return (float)(total + rest);
        }

        /// <summary>Numerically stable softmax of one vector: exp(x − max) / Σ.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Softmax(ReadOnlySpan<float> source, Span<float> destination) => Softmax(source, destination, source.Length);

        /// <summary>
        /// Softmax over the channels of each pixel of one C×H×W sample (a pixel's channels lie a plane apart), numerically
        /// stable: exp(x − max) / Σ over the pixel's channels. With <paramref name="channels"/> = the length, one vector.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Softmax(ReadOnlySpan<float> source, Span<float> destination, int channels)
        {
            var plane = Plane(source, destination, channels);
            for (var p = 0; p < plane; p++)
            {
                var pixel = destination.Slice(p);
                var inverse = 1f / SoftmaxNumerators(source.Slice(p), pixel, plane, out _);
                for (var i = 0; i < pixel.Length; i += plane)
                {
                    pixel[i] *= inverse;
                }
            }
        }

        /// <summary>Softmax backward for one vector: dx = y ⊙ (dy − Σ dy·y).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void SoftmaxBackward(ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> output, Span<float> inputGradient) =>
            SoftmaxBackward(outputGradient, output, inputGradient, output.Length);

        /// <summary>Softmax backward over the channels of each pixel, as <see cref="Softmax(ReadOnlySpan{float}, Span{float}, int)"/> computed it: dx = y ⊙ (dy − Σ dy·y) per pixel.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void SoftmaxBackward(ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> output, Span<float> inputGradient, int channels)
        {
            CheckSameLength(outputGradient, inputGradient);
            var plane = Plane(output, inputGradient, channels);
            for (var p = 0; p < plane; p++)
            {
                var dot = 0f;
                for (var i = p; i < output.Length; i += plane)
                {
                    dot += outputGradient[i] * output[i];
                }

                for (var i = p; i < output.Length; i += plane)
                {
                    inputGradient[i] = output[i] * (outputGradient[i] - dot);
                }
            }
        }

        /// <summary>
        /// The numerators of a softmax, the one computation every softmax here shares (its normalization is the caller's):
        /// for the elements <paramref name="stride"/> apart from the first, destination = exp(x − max), and the sum of them
        /// is returned, with the largest x in <paramref name="max"/>.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static float SoftmaxNumerators(ReadOnlySpan<float> source, Span<float> destination, int stride, out float max)
        {
            max = float.NegativeInfinity;
            for (var i = 0; i < source.Length; i += stride)
            {
                max = MathF.Max(max, source[i]);
            }

            var sum = 0f;
            for (var i = 0; i < source.Length; i += stride)
            {
                var e = MathF.Exp(source[i] - max);
                destination[i] = e;
                sum += e;
            }

            return sum;
        }

        /// <summary>The pixels per channel of a softmax over <paramref name="channels"/> channels; 0 for empty spans.</summary>
        private static int Plane(ReadOnlySpan<float> source, ReadOnlySpan<float> destination, int channels)
        {
            CheckSameLength(source, destination);
            if (source.IsEmpty)
            {
                return 0;
            }

            if (channels < 1 || source.Length % channels != 0)
            {
                throw new ArgumentOutOfRangeException(nameof(channels), channels, $"A softmax over channels needs a whole number of pixels: {source.Length} values do not split into {channels} channels.");
            }

            return source.Length / channels;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static float Apply(float x, Activation activation) => activation switch
        {
            Activation.None => x,
            Activation.ReLU => MathF.Max(x, 0f),
            Activation.Tanh => MathF.Tanh(x),
            Activation.Sigmoid => 1f / (1f + MathF.Exp(-x)),
            Activation.ReLU6 => MathF.Min(MathF.Max(x, 0f), 6f),
            _ => throw Unsupported(activation),
        };

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static float Derivative(float y, Activation activation) => activation switch
        {
            Activation.ReLU => y > 0f ? 1f : 0f,
            Activation.Tanh => 1f - (y * y),
            Activation.Sigmoid => y * (1f - y),
            Activation.ReLU6 => y > 0f && y < 6f ? 1f : 0f,
            _ => throw Unsupported(activation),
        };

        // The vector loops of the clamping activations (None, ReLU, ReLU6), one copy per clamp so no loop tests the
        // activation; each returns how many leading elements it did (whole vectors), the caller's scalar loop does the rest.

        private static int ScaleShiftClamped<TClamp>(Span<float> values, float scale, float shift)
            where TClamp : struct, IClamp
        {
            ref var start = ref MemoryMarshal.GetReference(values);
            var vScale = Vector256.Create(scale);
            var vShift = Vector256.Create(shift);
            var i = 0;
            for (; i <= values.Length - 8; i += 8)
            {
                TClamp.Apply(Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref start, (nuint)i), vScale, vShift)).StoreUnsafe(ref start, (nuint)i);
            }

            return i;
        }

        private static int ScaleShiftSumClamped<TClamp>(Span<float> values, float scale, float shift, ReadOnlySpan<float> addend)
            where TClamp : struct, IClamp
        {
            ref var start = ref MemoryMarshal.GetReference(values);
            ref var a0 = ref MemoryMarshal.GetReference(addend);
            var vScale = Vector256.Create(scale);
            var vShift = Vector256.Create(shift);
            var i = 0;
            for (; i <= values.Length - 8; i += 8)
            {
                var scaled = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref start, (nuint)i), vScale, vShift);
                TClamp.Apply(scaled + Vector256.LoadUnsafe(ref a0, (nuint)i)).StoreUnsafe(ref start, (nuint)i);
            }

            return i;
        }

        private static int SumClamped<TClamp>(ReadOnlySpan<float> first, ReadOnlySpan<float> second, Span<float> destination)
            where TClamp : struct, IClamp
        {
            ref var a0 = ref MemoryMarshal.GetReference(first);
            ref var b0 = ref MemoryMarshal.GetReference(second);
            ref var d0 = ref MemoryMarshal.GetReference(destination);
            var i = 0;
            for (; i <= destination.Length - 8; i += 8)
            {
                TClamp.Apply(Vector256.LoadUnsafe(ref a0, (nuint)i) + Vector256.LoadUnsafe(ref b0, (nuint)i)).StoreUnsafe(ref d0, (nuint)i);
            }

            return i;
        }

        private static int Clamped<TClamp>(ReadOnlySpan<float> source, Span<float> destination)
            where TClamp : struct, IClamp
        {
            ref var s0 = ref MemoryMarshal.GetReference(source);
            ref var d0 = ref MemoryMarshal.GetReference(destination);
            var i = 0;
            for (; i <= source.Length - 8; i += 8)
            {
                TClamp.Apply(Vector256.LoadUnsafe(ref s0, (nuint)i)).StoreUnsafe(ref d0, (nuint)i);
            }

            return i;
        }

        /// <summary>
        /// An activation that is a clamp, on 8 lanes. ReLU and ReLU6 use the native max/min (one instruction each, where
        /// <c>Vector256.Max</c> adds a NaN fix-up sequence): with the bound as the first operand, x86's maxps/minps return
        /// the second operand when either is NaN, so NaN stays NaN, as in PyTorch and the scalar <see cref="Apply"/>.
        /// </summary>
        private interface IClamp
        {
            static abstract Vector256<float> Apply(Vector256<float> v);
        }

        private readonly struct NoClamp : IClamp
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public static Vector256<float> Apply(Vector256<float> v) => v;
        }

        private readonly struct ZeroFloor : IClamp
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public static Vector256<float> Apply(Vector256<float> v) => Vector256.MaxNative(Vector256<float>.Zero, v);
        }

        private readonly struct ZeroToSix : IClamp
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public static Vector256<float> Apply(Vector256<float> v) => Vector256.MinNative(Vector256.Create(6f), Vector256.MaxNative(Vector256<float>.Zero, v));
        }

        private static NotSupportedException Unsupported(Activation activation) =>
            new($"Activation {activation} is not element-wise.");

        private static void CheckSameLength(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
        {
            if (a.Length != b.Length)
            {
                throw new ArgumentException($"Lengths differ: {a.Length} and {b.Length}.");
            }
        }
    }
}
