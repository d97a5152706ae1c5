using System;

namespace ConvGen
{
    /// <summary>Argument checks and lazily allocated state shared by the optimizers.</summary>
    internal static class OptimizerArguments
    {
        /// <summary>Throws unless <paramref name="value"/> is finite and not negative.</summary>
        public static void RequireNonNegative(float value, string name)
        {
            if (!(value >= 0f) || !float.IsFinite(value))
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number ≥ 0.");
            }
        }

        /// <summary>Throws unless <paramref name="value"/> lies in [0, 1).</summary>
        public static void RequireUnitInterval(float value, string name)
        {
            if (!(value >= 0f && value < 1f))
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} must lie in [0, 1).");
            }
        }

        /// <summary>Throws unless values and gradients have the same length.</summary>
        public static void RequireSameLength(Span<float> values, ReadOnlySpan<float> gradients)
        {
            if (values.Length != gradients.Length)
            {
                throw new ArgumentException($"The gradients hold {gradients.Length} floats but the values hold {values.Length}; they must match.", nameof(gradients));
            }
        }

        /// <summary>
        /// Records the parameter count on the first step and throws if a later step has another count,
        /// because the optimizer's per-element state would then belong to other parameters.
        /// </summary>
        public static void RequireUnchangedCount(ref int count, int actual, string optimizer)
        {
            if (count < 0)
            {
                count = actual;
            }
            else if (count != actual)
            {
                throw new InvalidOperationException(
                    $"{optimizer} was stepped with {count} parameters before and {actual} now; use one optimizer per network.");
            }
        }
    }
}
