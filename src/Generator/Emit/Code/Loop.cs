using System;

namespace ConvGen.Generator.Emit.Code
{
    /// <summary>Counted loops whose trip count is known when the code is generated.</summary>
    internal static class Loop
    {
        /// <summary>
        /// <c>for (var name = 0; name &lt; count; name++)</c> around what is written until disposal, with <paramref name="index"/>
        /// the loop variable; for one iteration, no loop at all and <paramref name="index"/> the constant 0, for the body to fold.
        /// <paramref name="alsoIncrement"/> names a running counter stepped with the index (<c>ox++, o++</c>); without a loop
        /// it is stepped once after the body.
        /// </summary>
        public static IDisposable? For(SourceWriter w, string name, int count, out Expr index, string? alsoIncrement = null)
        {
            if (alsoIncrement is null)
            {
                return Range(w, name, 0, count, out index);
            }

            if (count == 1)
            {
                index = Expr.Zero;
                return new After(w, alsoIncrement + "++;");
            }

            index = Expr.Name(name);
            return w.Block("for (var " + name + " = 0; " + name + " < " + Literals.Int(count) + "; " + name + "++, " + alsoIncrement + "++)");
        }

        /// <summary>
        /// <c>for (var name = from; name &lt; to; name++)</c>, or no loop and <paramref name="index"/> the constant
        /// <paramref name="from"/> when the range holds one value.
        /// </summary>
        public static IDisposable? Range(SourceWriter w, string name, int from, int to, out Expr index)
        {
            if (to - from == 1)
            {
                index = Expr.Constant(from);
                return null;
            }

            index = Expr.Name(name);
            return w.Block("for (var " + name + " = " + Literals.Int(from) + "; " + name + " < " + Literals.Int(to) + "; " + name + "++)");
        }

        /// <summary>Writes one statement when disposed.</summary>
        private sealed class After : IDisposable
        {
            private readonly SourceWriter _writer;
            private readonly string _statement;

            public After(SourceWriter writer, string statement)
            {
                _writer = writer;
                _statement = statement;
            }

            public void Dispose() => _writer.Line(_statement);
        }
    }
}
