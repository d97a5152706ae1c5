using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace ConvGen
{
    /// <summary>
    /// Checks a training batch before any forward work, so a bad batch throws and leaves the network exactly as it was:
    /// parameters, BatchNorm running statistics and optimizer state untouched.
    /// </summary>
    public static class TrainingInput
    {
        /// <summary>Every label is a class index in [0, <paramref name="classes"/>).</summary>
        /// <exception cref="ArgumentOutOfRangeException">A label is outside the range; the message names the sample.</exception>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void RequireLabels(ReadOnlySpan<int> labels, int classes)
        {
            for (var n = 0; n < labels.Length; n++)
            {
                if ((uint)labels[n] >= (uint)classes)
                {
                    throw new ArgumentOutOfRangeException(
                        nameof(labels), labels[n], $"The label of sample {n} is {labels[n]}, outside [0, {classes}).");
                }
            }
        }

        /// <summary>Every input value is finite.</summary>
        /// <param name="inputs">The batch, <paramref name="perSample"/> values per sample.</param>
        /// <param name="perSample">Values per sample.</param>
        /// <exception cref="ArgumentException">A value is NaN or infinite; the message names the sample and the first bad index in it.</exception>
        public static void RequireFiniteInputs(ReadOnlySpan<float> inputs, int perSample) =>
            RequireFinite(inputs, perSample, nameof(inputs), "input");

        /// <summary>Every regression target is finite.</summary>
        /// <exception cref="ArgumentException">A target is NaN or infinite; the message names the sample and the first bad index in it.</exception>
        public static void RequireFiniteTargets(ReadOnlySpan<float> targets, int perSample) =>
            RequireFinite(targets, perSample, nameof(targets), "target");

        /// <summary>The index of the first NaN or infinity in <paramref name="values"/>, or −1.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static int IndexOfNonFinite(ReadOnlySpan<float> values)
        {
            var i = 0;
            if (Vector.IsHardwareAccelerated)
            {
                // x − x is 0 for every finite x and NaN for NaN and ±infinity.
                for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
                {
                    var v = new Vector<float>(values.Slice(i));
                    if (!Vector.EqualsAll(v - v, Vector<float>.Zero))
                    {
                        break;
                    }
                }
            }

            for (; i < values.Length; i++)
            {
                if (!float.IsFinite(values[i]))
                {
                    return i;
                }
            }

            return -1;
        }

        private static void RequireFinite(ReadOnlySpan<float> values, int perSample, string name, string what)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(perSample, 1);
            var index = IndexOfNonFinite(values);
            if (index >= 0)
            {
                var value = values[index];
                throw new ArgumentException(
                    $"Sample {index / perSample} has a non-finite {what}: value {index % perSample} of the sample is {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}. "
                    + "Nothing was trained: fix or drop the sample (this is bad data, not a learning rate problem).",
                    name);
            }
        }
    }
}
