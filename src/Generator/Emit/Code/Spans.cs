namespace ConvGen.Generator.Emit.Code
{
    /// <summary>Span expressions of the emitted code, their offsets and lengths folded.</summary>
    internal static class Spans
    {
        /// <summary><c>span.Slice(start, length)</c>.</summary>
        public static string Slice(string span, Expr start, Expr length) => span + ".Slice(" + start + ", " + length + ")";

        /// <summary>
        /// <paramref name="length"/> elements from <paramref name="start"/> of a span <paramref name="spanLength"/> long:
        /// the span itself when that is all of it.
        /// </summary>
        public static string Part(string span, int spanLength, int start, int length) =>
            start == 0 && length == spanLength ? span : Slice(span, start, length);

        /// <summary><c>span.Slice(start)</c>: from <paramref name="start"/> to the end.</summary>
        public static string Slice(string span, Expr start) => span + ".Slice(" + start + ")";

        /// <summary><c>array.AsSpan(start, length)</c>.</summary>
        public static string AsSpan(string array, Expr start, Expr length) => array + ".AsSpan(" + start + ", " + length + ")";
    }
}
