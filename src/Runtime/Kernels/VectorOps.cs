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
            var i = 0;
            if (Simd.IsVectorized && IsClamp(activation))
            {
                ref var start = ref MemoryMarshal.GetReference(values);
                var vScale = Vector256.Create(scale);
                var vShift = Vector256.Create(shift);
                for (; i <= values.Length - 8; i += 8)
                {
                    Clamp(Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref start, (nuint)i), vScale, vShift), activation).StoreUnsafe(ref start, (nuint)i);
                }
            }

            for (; i < values.Length; i++)
            {
                values[i] = Apply(MathF.FusedMultiplyAdd(values[i], scale, shift), activation);
            }
        }

        /// <summary>values[i] = f(values[i] + bias[i]) for a dense row; an empty <paramref name="bias"/> means none.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void AddBiasActivate(Span<float> values, ReadOnlySpan<float> bias, Activation activation)
        {
            if (!bias.IsEmpty && bias.Length != values.Length)
            {
                throw new ArgumentException($"Bias has {bias.Length} values for a row of {values.Length}.", nameof(bias));
            }

            var i = 0;
            if (Simd.IsVectorized && IsClamp(activation))
            {
                ref var v0 = ref MemoryMarshal.GetReference(values);
                ref var b0 = ref MemoryMarshal.GetReference(bias);
                var hasBias = !bias.IsEmpty;
                for (; i <= values.Length - 8; i += 8)
                {
                    var v = Vector256.LoadUnsafe(ref v0, (nuint)i);
                    if (hasBias)
                    {
                        v += Vector256.LoadUnsafe(ref b0, (nuint)i);
                    }

                    Clamp(v, activation).StoreUnsafe(ref v0, (nuint)i);
                }
            }

            for (; i < values.Length; i++)
            {
                values[i] = Apply(values[i] + (bias.IsEmpty ? 0f : bias[i]), activation);
            }
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
            var i = 0;
            if (Simd.IsVectorized && IsClamp(activation))
            {
                ref var s0 = ref MemoryMarshal.GetReference(source);
                ref var d0 = ref MemoryMarshal.GetReference(destination);
                for (; i <= source.Length - 8; i += 8)
                {
                    Clamp(Vector256.LoadUnsafe(ref s0, (nuint)i), activation).StoreUnsafe(ref d0, (nuint)i);
                }
            }

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

        /// <summary>destination[i] = source[i] · factor.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Scale(ReadOnlySpan<float> source, Span<float> destination, float factor)
        {
            CheckSameLength(source, destination);
            for (var i = 0; i < source.Length; i++)
            {
                destination[i] = source[i] * factor;
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
        public static void Softmax(ReadOnlySpan<float> source, Span<float> destination)
        {
            CheckSameLength(source, destination);
            var max = float.NegativeInfinity;
            foreach (var x in source)
            {
                max = MathF.Max(max, x);
            }

            var sum = 0f;
            for (var i = 0; i < source.Length; i++)
            {
                var e = MathF.Exp(source[i] - max);
                destination[i] = e;
                sum += e;
            }

            var inverse = 1f / sum;
            for (var i = 0; i < destination.Length; i++)
            {
                destination[i] *= inverse;
            }
        }

        /// <summary>Softmax backward for one vector: dx = y ⊙ (dy − Σ dy·y).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void SoftmaxBackward(ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> output, Span<float> inputGradient)
        {
            CheckSameLength(outputGradient, inputGradient);
            CheckSameLength(output, inputGradient);
            var dot = 0f;
            for (var i = 0; i < output.Length; i++)
            {
                dot += outputGradient[i] * output[i];
            }

            for (var i = 0; i < output.Length; i++)
            {
                inputGradient[i] = output[i] * (outputGradient[i] - dot);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static float Apply(float x, Activation activation) => activation switch
        {
            Activation.None => x,
            Activation.ReLU => x > 0f ? x : 0f,
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

        /// <summary>Activations the vector paths apply as a clamp: None, ReLU (below at 0), ReLU6 (between 0 and 6).</summary>
        private static bool IsClamp(Activation activation) => activation is Activation.None or Activation.ReLU or Activation.ReLU6;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<float> Clamp(Vector256<float> v, Activation activation) => activation switch
        {
            Activation.ReLU => Vector256.Max(v, Vector256<float>.Zero),
            Activation.ReLU6 => Vector256.Min(Vector256.Max(v, Vector256<float>.Zero), Vector256.Create(6f)),
            _ => v,
        };

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
