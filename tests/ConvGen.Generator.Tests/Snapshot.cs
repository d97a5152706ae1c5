using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generator.Tests
{
    /// <summary>
    /// Snapshot files in Verify's layout, kept by hand: <c>Snapshots/{Class}.{Method}#{HintName}.verified.cs</c> for generated
    /// sources and <c>Snapshots/{Class}.{Method}.verified.txt</c> for diagnostics, next to the test file (found through
    /// [CallerFilePath], so they are read from the source tree). A mismatch writes <c>.received.</c> beside the verified
    /// file and fails; <c>CONVGEN_ACCEPT_SNAPSHOTS=1</c> overwrites the verified file instead. The class name is the test file's name.
    /// </summary>
    internal static class Snapshot
    {
        public const string AcceptVariable = "CONVGEN_ACCEPT_SNAPSHOTS";

        /// <summary>Verifies every generated source of <paramref name="run"/>, one file per hint name.</summary>
        public static void VerifySources(GeneratorRun run, [CallerFilePath] string testFile = "", [CallerMemberName] string method = "")
        {
            Assert.NotEmpty(run.Sources);
            foreach (var source in run.Sources)
            {
                var hint = source.HintName.EndsWith(".cs", StringComparison.Ordinal) ? source.HintName.Substring(0, source.HintName.Length - 3) : source.HintName;
                Verify(testFile, method + "#" + hint, "cs", source.SourceText.ToString());
            }
        }

        /// <summary>Verifies the generator's diagnostics rendered by <see cref="Render"/>.</summary>
        public static void VerifyDiagnostics(GeneratorRun run, [CallerFilePath] string testFile = "", [CallerMemberName] string method = "") =>
            Verify(testFile, method, "txt", Render(run.Diagnostics, run.Input));

        /// <summary>Each diagnostic as id, severity, position and message, then its source line with the span underlined.</summary>
        public static string Render(IEnumerable<Diagnostic> diagnostics, Compilation compilation)
        {
            var text = new StringBuilder();
            foreach (var diagnostic in diagnostics)
            {
                var span = diagnostic.Location.GetLineSpan();
                var start = span.StartLinePosition;
                text.Append(diagnostic.Id).Append(' ').Append(diagnostic.Severity)
                    .Append(" (").Append(start.Line + 1).Append(',').Append(start.Character + 1).Append("): ")
                    .Append(diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
                // Generator diagnostics carry file locations (no tree): find the tree by path.
                var tree = diagnostic.Location.SourceTree ?? compilation.SyntaxTrees.FirstOrDefault(t => t.FilePath == span.Path);
                if (tree is not null)
                {
                    var line = tree.GetText().Lines[start.Line].ToString();
                    var end = span.EndLinePosition.Line == start.Line ? span.EndLinePosition.Character : line.Length;
                    text.Append("    ").Append(line).Append('\n');
                    text.Append("    ").Append(' ', start.Character).Append('^', Math.Max(1, end - start.Character)).Append('\n');
                }
            }

            return text.ToString();
        }

        private static void Verify(string testFile, string name, string extension, string actual)
        {
            actual = actual.Replace("\r\n", "\n");
            var folder = Path.Combine(Path.GetDirectoryName(testFile)!, "Snapshots");
            var stem = Path.Combine(folder, Path.GetFileNameWithoutExtension(testFile) + "." + name);
            var verified = stem + ".verified." + extension;
            var received = stem + ".received." + extension;
            var expected = File.Exists(verified) ? File.ReadAllText(verified).Replace("\r\n", "\n") : null;

            if (expected == actual)
            {
                File.Delete(received);
                return;
            }

            if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
            {
                Directory.CreateDirectory(folder);
                File.WriteAllText(verified, actual);
                File.Delete(received);
                return;
            }

            Directory.CreateDirectory(folder);
            File.WriteAllText(received, actual);
            Assert.Fail(
                (expected is null ? "No snapshot " + verified : "Snapshot mismatch: " + verified) + "\n" +
                "Received: " + received + " (accept with " + AcceptVariable + "=1)\n" + Diff(expected ?? string.Empty, actual));
        }

        /// <summary>The first differing line, with a little context: enough to see what changed without a diff tool.</summary>
        private static string Diff(string expected, string actual)
        {
            var a = expected.Split('\n');
            var b = actual.Split('\n');
            var line = 0;
            while (line < a.Length && line < b.Length && a[line] == b[line])
            {
                line++;
            }

            var text = new StringBuilder().Append("First difference at line ").Append(line + 1).Append(":\n");
            for (var i = Math.Max(0, line - 2); i < Math.Min(Math.Max(a.Length, b.Length), line + 3); i++)
            {
                var left = i < a.Length ? a[i] : "<end>";
                var right = i < b.Length ? b[i] : "<end>";
                if (left == right)
                {
                    text.Append("    ").Append(left).Append('\n');
                }
                else
                {
                    text.Append("  - ").Append(left).Append('\n').Append("  + ").Append(right).Append('\n');
                }
            }

            return text.ToString();
        }
    }
}
