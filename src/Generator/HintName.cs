using System;
using System.Text;
using ConvGen.Generator.Model;

namespace ConvGen.Generator
{
    /// <summary>
    /// The file name ("hint name") of a network's generated source. Roslyn accepts only some characters there and
    /// compares hint names ignoring case, while C# names may hold <c>@</c>, format characters, combining marks and
    /// letters differing only in case. So the readable name keeps letters, digits, <c>.</c> and <c>_</c>, drops the
    /// <c>@</c> of escaped keywords and turns anything else into <c>_</c>; when that readable name equals another
    /// network's (ignoring case), a hash of the exact full name follows it.
    /// </summary>
    internal static class HintName
    {
        /// <summary>The hint name for <paramref name="fullName"/> among the full names of every network in the compilation.</summary>
        public static string For(string fullName, EquatableArray<string> allFullNames)
        {
            var readable = Readable(fullName);
            foreach (var other in allFullNames)
            {
                if (!string.Equals(other, fullName, StringComparison.Ordinal)
                    && string.Equals(Readable(other), readable, StringComparison.OrdinalIgnoreCase))
                {
                    return readable + "." + Hash(fullName) + ".g.cs";
                }
            }

            return readable + ".g.cs";
        }

        private static string Readable(string fullName)
        {
            var builder = new StringBuilder(fullName.Length);
            foreach (var c in fullName)
            {
                if (c == '@')
                {
                    continue;
                }

                builder.Append(char.IsLetterOrDigit(c) || c == '.' || c == '_' ? c : '_');
            }

            return builder.ToString();
        }

        /// <summary>FNV-1a over the UTF-16 code units: stable across runs and platforms, unlike string.GetHashCode.</summary>
        private static string Hash(string text)
        {
            var hash = 2166136261u;
            foreach (var c in text)
            {
                hash = unchecked((hash ^ c) * 16777619u);
            }

            return hash.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
