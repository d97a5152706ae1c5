using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ConvGen.Generator.Tests
{
    /// <summary>
    /// What a careful human would not write in emitted code: arithmetic with a foldable part (<c>0 + x</c>, <c>x * 1</c>,
    /// <c>(500 - 1)</c>), loops of one iteration, rows of bare positional booleans, and a scale of 1 kept in a variable.
    /// </summary>
    internal static class TrivialCode
    {
        private static readonly (Regex Pattern, string What)[] Patterns =
        {
            (new Regex(@"(?<![\w.])0 [+*] ", RegexOptions.CultureInvariant), "0 + x or 0 * x"),
            (new Regex(@" [-+*] 0(?=[)\],;])", RegexOptions.CultureInvariant), "x + 0, x - 0 or x * 0"),
            (new Regex(@" [*/] 1(?=[)\],;])", RegexOptions.CultureInvariant), "x * 1 or x / 1"),
            (new Regex(@"(?<![\w.])1 \* ", RegexOptions.CultureInvariant), "1 * x"),
            (new Regex(@"[(\[,=] ?\d+ [-+*] \d+(?=[)\],;])", RegexOptions.CultureInvariant), "arithmetic on two literals"),
            (new Regex(@"\((true|false), (true|false)\b", RegexOptions.CultureInvariant), "positional boolean arguments"),
        };

        private static readonly Regex For = new(@"for \(var (\w+) = (-?\d+); \1 < (-?\d+); ", RegexOptions.CultureInvariant);

        /// <summary>Every offending line of <paramref name="source"/>, as "line N: what: text".</summary>
        public static IEnumerable<string> Problems(string source)
        {
            var lines = source.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i];
                foreach (var (pattern, what) in Patterns)
                {
                    if (pattern.IsMatch(line))
                    {
                        yield return Describe(i, what, line);
                    }
                }

                if (For.Match(line) is { Success: true } loop
                    && long.Parse(loop.Groups[3].Value, CultureInfo.InvariantCulture) - long.Parse(loop.Groups[2].Value, CultureInfo.InvariantCulture) <= 1)
                {
                    yield return Describe(i, "a loop of at most one iteration", line);
                }

                if (line.Trim() == "var scale = 1f;" && (i + 2 >= lines.Length || !lines[i + 2].Contains("if (", System.StringComparison.Ordinal)))
                {
                    yield return Describe(i, "a scale of 1 that nothing changes", line);
                }
            }
        }

        private static string Describe(int index, string what, string line) =>
            "line " + (index + 1).ToString(CultureInfo.InvariantCulture) + ": " + what + ": " + line.Trim();
    }
}
