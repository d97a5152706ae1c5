using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace ConvGen.Generator.Tests
{
    /// <summary>
    /// Test source with expected diagnostic spans written inline as <c>{|CG0006:text|}</c>: the markers are removed
    /// and each becomes an expected (id, span). Markers do not nest.
    /// </summary>
    internal sealed class MarkedSource
    {
        private MarkedSource(string text, IReadOnlyList<(string Id, TextSpan Span)> expected)
        {
            Text = text;
            Expected = expected;
        }

        public string Text { get; }

        public IReadOnlyList<(string Id, TextSpan Span)> Expected { get; }

        public static MarkedSource Parse(string marked)
        {
            var text = new StringBuilder();
            var expected = new List<(string, TextSpan)>();
            var i = 0;
            while (i < marked.Length)
            {
                if (marked[i] == '{' && i + 1 < marked.Length && marked[i + 1] == '|')
                {
                    var colon = marked.IndexOf(':', i);
                    var close = marked.IndexOf("|}", colon, System.StringComparison.Ordinal);
                    var id = marked.Substring(i + 2, colon - i - 2);
                    var inner = marked.Substring(colon + 1, close - colon - 1);
                    expected.Add((id, new TextSpan(text.Length, inner.Length)));
                    text.Append(inner);
                    i = close + 2;
                }
                else
                {
                    text.Append(marked[i++]);
                }
            }

            return new MarkedSource(text.ToString(), expected);
        }
    }
}
