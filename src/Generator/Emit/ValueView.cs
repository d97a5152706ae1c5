using ConvGen.Generator.Emit.Code;

namespace ConvGen.Generator.Emit
{
    /// <summary>
    /// Where one value (a layer's activations, or their gradient) lives: sample n occupies
    /// <c>Field[n·Stride + Offset, n·Stride + Offset + Length)</c>. A value of its own has Stride = Length and Offset 0;
    /// a channel slice of a Concat has the Concat's stride and its own offset.
    /// </summary>
    internal sealed record ValueView(string Field, int Stride, int Offset, int Length)
    {
        private static readonly Expr SampleIndex = Expr.Name("n");

        private static readonly Expr BatchSize = Expr.Name("_batch");

        /// <summary>A value of its own: one sample after another.</summary>
        public static ValueView Whole(string field, int length) => new(field, length, 0, length);

        /// <summary>True when the samples lie back to back from the start of the field.</summary>
        public bool IsWhole => Offset == 0 && Stride == Length;

        /// <summary>Part of each sample: <paramref name="length"/> floats from <paramref name="offset"/>.</summary>
        public ValueView Slice(int offset, int length) => this with { Offset = Offset + offset, Length = length };

        /// <summary>Sample <c>n</c>'s span.</summary>
        public string Sample() => At(SampleIndex, Expr.Zero, Length);

        /// <summary>Sample <paramref name="n"/>, from <paramref name="within"/>, <paramref name="length"/> floats.</summary>
        public string At(Expr n, Expr within, Expr length) => Spans.AsSpan(Field, n * Stride + Offset + within, length);

        /// <summary>
        /// Columns [<paramref name="start"/>, <paramref name="start"/> + <paramref name="width"/>) of every sample of the batch,
        /// as one matrix with leading dimension <see cref="Stride"/> (for a GEMM over the batch).
        /// </summary>
        public string Columns(Expr start, Expr width) => start.IsZero && width.Value == Length && Stride == Length
            ? Spans.AsSpan(Field, Offset, BatchSize * width)
            : Spans.AsSpan(Field, Offset + start, (BatchSize - 1) * Stride + width);

        /// <summary>The whole batch as one matrix (leading dimension <see cref="Stride"/>).</summary>
        public string Batch() => Columns(Expr.Zero, Length);
    }
}
