using System.Collections.Generic;

namespace ConvGen.Generator.Emit
{
    /// <summary>
    /// Where one value (a layer's activations, or their gradient) lives: sample n occupies
    /// <c>Field[n·Stride + Offset, n·Stride + Offset + Length)</c>. A value of its own has Stride = Length and Offset 0;
    /// a channel slice of a Concat has the Concat's stride and its own offset.
    /// </summary>
    internal sealed record ValueView(string Field, int Stride, int Offset, int Length)
    {
        /// <summary>A value of its own: one sample after another.</summary>
        public static ValueView Whole(string field, int length) => new(field, length, 0, length);

        /// <summary>True when the samples lie back to back from the start of the field.</summary>
        public bool IsWhole => Offset == 0 && Stride == Length;

        /// <summary>Part of each sample: <paramref name="length"/> floats from <paramref name="offset"/>.</summary>
        public ValueView Slice(int offset, int length) => this with { Offset = Offset + offset, Length = length };

        /// <summary>Sample <paramref name="n"/>'s span.</summary>
        public string Sample(string n = "n") => At(n, null, Literals.Int(Length));

        /// <summary>Sample <paramref name="n"/>, from <paramref name="within"/> (an expression, or null for 0), <paramref name="length"/> floats.</summary>
        public string At(string n, string? within, string length) =>
            Field + ".AsSpan(" + Sum(Product(n, Stride), Offset == 0 ? null : Literals.Int(Offset), within) + ", " + length + ")";

        /// <summary>
        /// Columns [<paramref name="start"/>, <paramref name="start"/> + <paramref name="width"/>) of every sample of the batch,
        /// as one matrix with leading dimension <see cref="Stride"/> (for a GEMM over the batch).
        /// </summary>
        public string Columns(string? start, string width)
        {
            var from = Sum(Offset == 0 ? null : Literals.Int(Offset), start);
            return start is null && width == Literals.Int(Length) && Stride == Length
                ? Field + ".AsSpan(" + from + ", _batch * " + width + ")"
                : Field + ".AsSpan(" + from + ", ((_batch - 1) * " + Literals.Int(Stride) + ") + " + Parenthesize(width) + ")";
        }

        /// <summary>The whole batch as one matrix (leading dimension <see cref="Stride"/>).</summary>
        public string Batch() => Columns(null, Literals.Int(Length));

        /// <summary>A human-readable description of the placement, for comments.</summary>
        public string Describe() => IsWhole
            ? Field
            : Field + " [" + Literals.Int(Offset) + ", " + Literals.Int(Offset + Length) + ") of each " + Literals.Int(Stride) + "-float sample";

        private static string Product(string n, int factor) => factor == 1 ? n : n + " * " + Literals.Int(factor);

        /// <summary>The sum of the non-null terms, each parenthesized when there are several; "0" when there are none.</summary>
        private static string Sum(params string?[] terms)
        {
            var present = new List<string>();
            foreach (var term in terms)
            {
                if (term is not null && term != "0")
                {
                    present.Add(term);
                }
            }

            if (present.Count == 0)
            {
                return "0";
            }

            if (present.Count == 1)
            {
                return present[0];
            }

            for (var i = 0; i < present.Count; i++)
            {
                present[i] = Parenthesize(present[i]);
            }

            return string.Join(" + ", present);
        }

        private static string Parenthesize(string term) => term.Contains(" ") ? "(" + term + ")" : term;
    }
}
