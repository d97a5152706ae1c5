using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using ConvGen.Generator.Diagnostics;

namespace ConvGen.Generator.Tests
{
    /// <summary>The examples in docs/diagnostics compile: each "Invalid" block reports its page's id, each "Fixed" block reports nothing.</summary>
    public class DocExampleTests
    {
        /// <summary>Every id but CG0040, which reports a bug in ConvGen: no declaration is known to cause it, so its page has no examples.</summary>
        public static IEnumerable<object[]> Ids() => DiagnosticCatalog.All.Where(d => d.Id != DiagnosticCatalog.GeneratorFailure.Id).Select(d => new object[] { d.Id });

        [Theory]
        [MemberData(nameof(Ids))]
        public void InvalidExampleReportsTheId(string id)
        {
            var run = GeneratorHarness.Run(Example(id, "Invalid"));
            Assert.Empty(run.CompilerErrors);

            // CG0017 is a safety net: its example is caught first by CG0010, as its page says.
            Assert.Contains(run.Diagnostics, d => d.Id == (id == "CG0017" ? "CG0010" : id));
        }

        [Theory]
        [MemberData(nameof(Ids))]
        public void FixedExampleIsClean(string id)
        {
            var run = GeneratorHarness.Run(Example(id, "Fixed"));
            Assert.Empty(run.CompilerErrors);
            Assert.Empty(run.Diagnostics);
        }

        private static string Example(string id, string section, [CallerFilePath] string testFile = "")
        {
            var page = File.ReadAllText(Path.Combine(Path.GetDirectoryName(testFile)!, "..", "..", "docs", "diagnostics", id + ".md"));
            var match = Regex.Match(page, "## " + section + "\\s+```csharp\\n(.*?)```", RegexOptions.Singleline);
            Assert.True(match.Success, id + ".md has no " + section + " example");
            return match.Groups[1].Value;
        }
    }
}
