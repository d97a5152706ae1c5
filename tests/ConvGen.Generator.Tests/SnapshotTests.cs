using System;
using System.IO;
using Xunit.Sdk;

namespace ConvGen.Generator.Tests
{
    /// <summary>The snapshot mechanism itself, on a throw-away folder (so it never touches the real Snapshots/).</summary>
    public class SnapshotTests
    {
        [Fact]
        public void MissingThenMismatchedThenMatchingSnapshot()
        {
            if (Environment.GetEnvironmentVariable(Snapshot.AcceptVariable) == "1")
            {
                return; // accepting would make every step pass; nothing to check
            }

            var folder = Path.Combine(Path.GetTempPath(), "convgen-snapshot-" + Guid.NewGuid().ToString("N"));
            var fakeTestFile = Path.Combine(folder, "Fake.cs");
            var verified = Path.Combine(folder, "Snapshots", "Fake.Method#Net.g.verified.cs");
            var received = Path.Combine(folder, "Snapshots", "Fake.Method#Net.g.received.cs");
            try
            {
                var run = GeneratorHarness.Run("using ConvGen;\n[Input(1, 4, 4)]\n[ReLU]\npublic partial class Net { }");

                var missing = Assert.Throws<FailException>(() => Snapshot.VerifySources(run, fakeTestFile, "Method"));
                Assert.Contains("No snapshot", missing.Message);
                Assert.True(File.Exists(received));

                File.WriteAllText(verified, "// something else\n");
                var mismatch = Assert.Throws<FailException>(() => Snapshot.VerifySources(run, fakeTestFile, "Method"));
                Assert.Contains("First difference at line 1", mismatch.Message);
                Assert.Contains("  - // something else", mismatch.Message);

                File.Copy(received, verified, overwrite: true);
                Snapshot.VerifySources(run, fakeTestFile, "Method");
                Assert.False(File.Exists(received));
            }
            finally
            {
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
        }

        [Fact]
        public void DiagnosticRendering_UnderlinesTheSpan()
        {
            var run = GeneratorHarness.Run("using ConvGen;\n[Input(1, 8, 8)]\n[Conv2D(4, 3, Groups = 3)]\npublic partial class Net { }");
            Assert.Equal(
                "CG0008 Error (3,15): Layer 'conv1' (Conv2D): Groups = 3 must divide both the input channels (1) and the filters (4)\n" +
                "    [Conv2D(4, 3, Groups = 3)]\n" +
                "                  ^^^^^^^^^^\n",
                Snapshot.Render(run.Diagnostics, run.Input));
        }
    }
}
