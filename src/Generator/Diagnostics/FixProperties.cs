using System.Collections.Immutable;
using System.Globalization;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Diagnostics
{
    /// <summary>
    /// What a code fix needs from a diagnostic, carried in <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/>:
    /// the inferred shape or count, or the nearest kernel or stride that fits. Worked out from the message arguments
    /// alone, so diagnostics stay plain data until they are reported.
    /// </summary>
    internal static class FixProperties
    {
        /// <summary>The value the fix writes into the argument at the diagnostic's location (or adds, when it is absent).</summary>
        public const string Value = "Value";

        public static ImmutableDictionary<string, string?> For(string id, EquatableArray<string> arguments)
        {
            var value =
                id == DiagnosticCatalog.ExpectMismatch.Id ? At(arguments, 2)
                : id == DiagnosticCatalog.ExpectedParametersMismatch.Id ? At(arguments, 1).Replace(",", string.Empty)
                : id == DiagnosticCatalog.KernelLargerThanInput.Id ? LargestKernelThatFits(arguments)
                : id == DiagnosticCatalog.StrideDoesNotFit.Id ? NearestStrideThatFits(arguments)
                : null;

            return string.IsNullOrEmpty(value)
                ? ImmutableDictionary<string, string?>.Empty
                : ImmutableDictionary<string, string?>.Empty.Add(Value, value);
        }

        /// <summary>
        /// CG0007 arguments: name, kernel height, kernel width, dilated height, dilated width, input, padded height, padded width.
        /// A square kernel shrinks to the largest square one whose dilated extent fits both padded axes; a rectangular one has no single answer.
        /// </summary>
        private static string? LargestKernelThatFits(EquatableArray<string> arguments)
        {
            if (!TryLong(At(arguments, 1), out var kernel) || At(arguments, 1) != At(arguments, 2) || kernel < 2
                || !TryLong(At(arguments, 3), out var extent) || !TryLong(At(arguments, 6), out var paddedHeight) || !TryLong(At(arguments, 7), out var paddedWidth))
            {
                return null;
            }

            var dilation = (extent - 1) / (kernel - 1);
            var padded = System.Math.Min(paddedHeight, paddedWidth);
            var largest = ((padded - 1) / dilation) + 1;
            return largest >= 1 && largest < kernel ? Text(largest) : null;
        }

        /// <summary>
        /// CG0015 arguments: name, kind, padded size, window extent, stride, …. A stride fits when it divides padded − extent;
        /// the nearest such stride is the fix, unless one below and one above are equally near.
        /// </summary>
        private static string? NearestStrideThatFits(EquatableArray<string> arguments)
        {
            if (!TryLong(At(arguments, 2), out var padded) || !TryLong(At(arguments, 3), out var extent) || !TryLong(At(arguments, 4), out var stride))
            {
                return null;
            }

            var span = padded - extent;
            for (var distance = 1L; distance <= span; distance++)
            {
                var below = stride - distance >= 1 && span % (stride - distance) == 0;
                var above = stride + distance <= span && span % (stride + distance) == 0;
                if (below || above)
                {
                    return below && above ? null : Text(below ? stride - distance : stride + distance);
                }
            }

            return null;
        }

        private static string At(EquatableArray<string> arguments, int index) => index < arguments.Count ? arguments[index] : string.Empty;

        private static bool TryLong(string text, out long value) =>
            long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

        private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
