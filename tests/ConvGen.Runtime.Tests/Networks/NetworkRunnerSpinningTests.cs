using System;
using System.Collections.Generic;
using ConvGen.Networks;
using ConvGen.Threading;

namespace ConvGen.Runtime.Tests.Networks
{
    /// <summary>
    /// Each call of a runner granted several threads keeps the pool's workers polling for its whole length (its steps fork
    /// one after another), and only for that length.
    /// </summary>
    [Collection("WorkerPool spinning")]
    public sealed class NetworkRunnerSpinningTests
    {
        [Theory]
        [InlineData(2, 1)]
        [InlineData(1, 0)]
        public void Forward_backward_and_a_training_step_keep_one_spinning_scope_open_while_they_run(int threads, int expected)
        {
            if (Environment.ProcessorCount < 2) return; // one core: no worker ever polls, so no scope opens
            var schedule = new ScopeWatchingSchedule();
            var runner = new NetworkRunner(schedule, "Net", inputLength: 1, outputLength: 2, new float[1], new float[1],
                new WorkerScratch(columnLength: 0, factorLength: 0), new ParameterWrites(), endsWithSoftmax: false, backwardNeedsTraining: false);
            runner.Threads = threads;
            var before = WorkerPool.OpenSpinningScopes;

            runner.Forward(new[] { 1f }, new float[2], 1);
            runner.Backward(new[] { 1f, 0f }, 1);
            runner.TrainStep(new[] { 1f }, new[] { 1 }, 1, new Sgd(0.1f));

            Assert.Equal(new[] { expected, expected, expected, expected }, schedule.ScopesSeen.ToArray());
            Assert.Equal(before, WorkerPool.OpenSpinningScopes);
        }

        /// <summary>A one-step schedule whose forward and backward record how many spinning scopes (beyond the test's start) are open.</summary>
        private sealed class ScopeWatchingSchedule : INetworkSchedule
        {
            private readonly float[] _output = new float[2];
            private readonly float[] _outputGradient = new float[2];
            private readonly int _scopesBefore = WorkerPool.OpenSpinningScopes;

            public List<int> ScopesSeen { get; } = new();

            public Span<float> Output => _output;

            public Span<float> OutputGradient => _outputGradient;

            public void Grow(int batchSize)
            {
            }

            public void Forward(ReadOnlySpan<float> input, int batchSize, int workers, int gemmThreads, bool training) =>
                ScopesSeen.Add(WorkerPool.OpenSpinningScopes - _scopesBefore);

            public void Backward(bool fromLogits, bool needInputGradient) => ScopesSeen.Add(WorkerPool.OpenSpinningScopes - _scopesBefore);

            public void CopyInputGradient(Span<float> inputGradient, int batchSize)
            {
            }

            public void RunStep(int step, int worker, int part, int parts)
            {
            }

            public string Describe(int step) => "step " + step;
        }
    }
}
