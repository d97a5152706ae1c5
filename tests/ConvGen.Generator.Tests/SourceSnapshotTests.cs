namespace ConvGen.Generator.Tests
{
    /// <summary>
    /// Generated source snapshots, kept few on purpose while emission is evolving: re-accept them with
    /// CONVGEN_ACCEPT_SNAPSHOTS=1 after an intended emitter change.
    /// </summary>
    public class SourceSnapshotTests
    {
        [Fact]
        public void LeNet5() => Snapshot.VerifySources(GeneratorHarness.Run(Networks.LeNet5));

        [Fact]
        public void ClassicLeNet5() => Snapshot.VerifySources(GeneratorHarness.Run(Networks.ClassicLeNet5));

        [Fact]
        public void Kitchen()
        {
            var run = GeneratorHarness.Run(Networks.Kitchen);
            Assert.Empty(run.Diagnostics);
            Snapshot.VerifySources(run);
        }
    }
}
