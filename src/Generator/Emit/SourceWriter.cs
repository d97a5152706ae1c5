using System;
using System.Text;

namespace ConvGen.Generator.Emit
{
    /// <summary>An indented text writer: <c>using (w.Block("for (...)")) { ... }</c> writes the braces and the indentation.</summary>
    internal sealed class SourceWriter
    {
        private readonly StringBuilder _text = new();
        private int _indent;

        public void Line(string line = "")
        {
            if (line.Length > 0)
            {
                _text.Append(' ', _indent * 4);
                _text.Append(line);
            }

            _text.Append('\n');
        }

        public void Lines(string text)
        {
            foreach (var line in text.Replace("\r\n", "\n").Split('\n'))
            {
                Line(line);
            }
        }

        /// <summary>Writes <paramref name="header"/>, an opening brace, and indents until disposed.</summary>
        /// <remarks><paramref name="close"/> ends the block instead of a plain brace (<c>});</c> after an array initializer).</remarks>
        public IDisposable Block(string header, string close = "}")
        {
            Line(header);
            Line("{");
            _indent++;
            return new Closer(this, close);
        }

        /// <summary>Indents until disposed.</summary>
        public IDisposable Indent()
        {
            _indent++;
            return new Closer(this, null);
        }

        public override string ToString() => _text.ToString();

        private sealed class Closer : IDisposable
        {
            private readonly SourceWriter _writer;
            private readonly string? _close;

            public Closer(SourceWriter writer, string? close)
            {
                _writer = writer;
                _close = close;
            }

            public void Dispose()
            {
                _writer._indent--;
                if (_close is not null)
                {
                    _writer.Line(_close);
                }
            }
        }
    }
}
