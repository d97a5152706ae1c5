using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace ConvGen.Generator.Tests
{
    /// <summary>Every C# block of the README's "Graphs" section is a whole network that compiles and checks clean.</summary>
    public class ReadmeGraphExampleTests
    {
        public static IEnumerable<object[]> Examples()
        {
            var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
            var section = Regex.Match(readme, "\n## Graphs\n(.*?)\n## ", RegexOptions.Singleline);
            Assert.True(section.Success, "README.md has no Graphs section");
            return Regex.Matches(section.Groups[1].Value, "```csharp\n(.*?)```", RegexOptions.Singleline).Select(m => new object[] { m.Groups[1].Value });
        }

        [Fact]
        public void TheSectionHasTheResNetInceptionDenseNetAndFromExamples() => Assert.Equal(4, Examples().Count());

        [Theory]
        [MemberData(nameof(Examples))]
        public void ExampleIsAValidNetwork(string source)
        {
            var run = GeneratorHarness.Run(source);
            Assert.Empty(run.CompilerErrors);
            Assert.Empty(run.Diagnostics);
            Assert.NotNull(Assert.Single(run.Parsed).Model);
        }

        private static string RepositoryRoot([CallerFilePath] string file = "") =>
            Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, "..", ".."));
    }
}
