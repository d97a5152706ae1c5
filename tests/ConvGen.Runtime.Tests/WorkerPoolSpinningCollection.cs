namespace ConvGen.Runtime.Tests
{
    /// <summary>Tests that watch the pool's process-wide spinning scopes and sleeping workers run one at a time, with no other test forking meanwhile.</summary>
    [CollectionDefinition("WorkerPool spinning", DisableParallelization = true)]
    public sealed class WorkerPoolSpinningCollection
    {
    }
}
