using System;
using System.Linq;
using ConvGen.Networks;
using ConvGen.Runtime.Tests.Fakes;
using ConvGen.Threading;

namespace ConvGen.Runtime.Tests.Networks
{
    /// <summary>
    /// The network-independent half of a generated network, driven through a recording schedule: how a batch is spread
    /// over workers, when buffers grow, where backward starts for each loss, and the reduction of private gradient sums.
    /// </summary>
    public sealed class NetworkRunnerTests
    {
        private const int InputLength = 2;
        private const int OutputLength = 3;

        [Fact]
        public void Each_step_runs_once_on_every_worker_and_never_on_more_workers_than_samples()
        {
            var (runner, schedule, _) = Create();
            runner.Threads = 4;
            var output = new float[3 * OutputLength];
            runner.Forward(new[] { 5f, 0f, 6f, 0f, 7f, 0f }, output, 3);
            Assert.Equal(new[] { (0, 0), (0, 1), (0, 2) }, schedule.Runs.OrderBy(r => r.Worker));
            Assert.Equal(new[] { 5f, 6f, 7f, 6f, 7f, 8f, 7f, 8f, 9f }, output);

            schedule.Runs.Clear();
            runner.Forward(new[] { 1f, 0f }, output.AsSpan(0, OutputLength), 1);
            Assert.Equal(new[] { (0, 0) }, schedule.Runs);
            Assert.Equal(new[] { (false, 3, 1), (false, 1, 4) }, schedule.Forwards);
        }

        [Theory]
        [InlineData(3, 64, 10_000_000L, 3)] // every thread
        [InlineData(3, 2, 10_000_000L, 2)] // no more parts than units
        [InlineData(3, 64, 2 * Partition.MinMultiplyAddsPerPart, 2)] // each part holds at least the fork-and-join threshold of work
        [InlineData(3, 64, (2 * Partition.MinMultiplyAddsPerPart) - 1, 1)]
        [InlineData(1, 64, 10_000_000L, 1)] // one thread
        public void A_step_that_can_split_samples_splits_the_one_sample_into_parts_when_the_work_is_worth_it(int threads, int units, long work, int parts)
        {
            var (runner, schedule, _) = Create();
            runner.Threads = threads;
            schedule.Split = (units, work);

            runner.Forward(new float[InputLength], new float[OutputLength], 1);

            Assert.Equal(Enumerable.Range(0, parts).Select(part => (0, part, parts)), schedule.SplitRuns.OrderBy(r => r.Part));
            Assert.Equal(new[] { (RecordingSchedule.ForwardStep, 0) }, schedule.Runs);
        }

        [Fact]
        public void A_step_that_can_split_samples_runs_whole_samples_on_each_worker_when_the_batch_has_several()
        {
            var (runner, schedule, _) = Create();
            runner.Threads = 3;
            schedule.Split = (64, 10_000_000L);

            runner.Forward(new float[3 * InputLength], new float[3 * OutputLength], 3);

            Assert.Equal(new[] { (0, 0, 1), (1, 0, 1), (2, 0, 1) }, schedule.SplitRuns.OrderBy(r => r.Worker));
        }

        [Theory]
        [InlineData(1, 3, new[] { 0, 1, 2 })] // the batch on one worker: its sample splits over the threads
        [InlineData(3, 3, new[] { 0 })] // several workers: each part step runs whole on its worker's thread
        public void A_part_step_runs_one_samples_units_in_parts_only_when_the_batch_is_on_one_worker(int batch, int threads, int[] parts)
        {
            var (runner, schedule, _) = Create();
            runner.Threads = threads;
            runner.Forward(new float[batch * InputLength], new float[batch * OutputLength], batch);

            runner.RunParts(RecordingSchedule.SplitStep, sample: 5, units: 64, work: 10_000_000L);

            Assert.Equal(parts.Select(part => (5, part, parts.Length)), schedule.SplitRuns.OrderBy(r => r.Part));
        }

        [Theory]
        [InlineData(0, 1L)]
        [InlineData(1, -1L)]
        public void A_split_step_with_no_units_or_negative_work_is_refused(int units, long work)
        {
            var (runner, _, _) = Create();
            runner.Forward(new float[InputLength], new float[OutputLength], 1);
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => runner.Run(RecordingSchedule.SplitStep, units, work));
            Assert.Equal(units < 1 ? "units" : "work", error.ParamName);
            error = Assert.Throws<ArgumentOutOfRangeException>(() => runner.RunParts(RecordingSchedule.SplitStep, 0, units, work));
            Assert.Equal(units < 1 ? "units" : "work", error.ParamName);
        }

        [Fact]
        public void Buffers_grow_only_for_a_batch_larger_than_any_before()
        {
            var (runner, schedule, _) = Create();
            foreach (var batch in new[] { 1, 3, 2, 5, 5, 4 })
            {
                runner.Forward(new float[batch * InputLength], new float[batch * OutputLength], batch);
            }

            Assert.Equal(new[] { 3, 5 }, schedule.Grown);
        }

        [Theory]
        [InlineData(true, true)]
        [InlineData(false, false)]
        public void Classification_starts_backward_below_the_softmax_only_for_a_network_ending_in_one(bool endsWithSoftmax, bool fromLogits)
        {
            var (runner, schedule, _) = Create(endsWithSoftmax);
            // The fake's outputs for first inputs 0 and 0.5: [0, 1, 2] and [0.5, 1.5, 2.5].
            var inputs = new[] { 0f, 0f, 0.5f, 0f };
            var labels = new[] { 2, 0 };

            var loss = runner.TrainStep(inputs, labels, 2, new Sgd(0f));

            var expectedGradient = new float[2 * OutputLength];
            var expectedLoss = endsWithSoftmax
                ? Losses.CrossEntropyFromProbabilities(new[] { 0f, 1f, 2f, 0.5f, 1.5f, 2.5f }, labels, 2, OutputLength, expectedGradient)
                : Losses.SoftmaxCrossEntropy(new[] { 0f, 1f, 2f, 0.5f, 1.5f, 2.5f }, labels, 2, OutputLength, expectedGradient);
            Assert.Equal(expectedLoss, loss);
            Assert.Equal(expectedGradient, schedule.OutputGradients.Single());
            Assert.Equal((fromLogits, false), schedule.Backwards.Single());
            Assert.Equal((true, 2, 1), schedule.Forwards.Single());
            Assert.False(runner.Training);
        }

        [Fact]
        public void Regression_starts_backward_at_the_output_even_below_a_softmax()
        {
            var (runner, schedule, _) = Create(endsWithSoftmax: true);
            runner.TrainStep(new[] { 1f, 0f }, new[] { 1f, 2f, 3f }, 1, new Sgd(0f));
            Assert.Equal((false, false), schedule.Backwards.Single());
            Assert.Equal(new[] { 0f, 0f, 0f }, schedule.OutputGradients.Single());
        }

        [Fact]
        public void Private_gradient_sums_are_added_into_their_parameters_and_cleared()
        {
            // Worker w writes (w + 1)(i + 1) at element i of its sums: elements 0–1 belong to parameters 3–4, element 2 to parameter 0.
            var scratch = new WorkerScratch(columnLength: 4, factorLength: 0, new LocalGradientRange(Offset: 0, Parameter: 3, Length: 2), new LocalGradientRange(Offset: 2, Parameter: 0, Length: 1));
            var (runner, schedule, gradients) = Create(scratch: scratch);
            runner.Threads = 2;
            runner.Forward(new float[2 * InputLength], new float[2 * OutputLength], 2);
            var inputGradient = new float[2 * InputLength];

            runner.Backward(new float[2 * OutputLength], inputGradient, 2);

            Assert.Equal(new[] { 3f + 6f, 0f, 0f, 1f + 2f, 2f + 4f }, gradients);
            Assert.All(new[] { 0, 1 }, worker => Assert.All(scratch.LocalGradients(worker), value => Assert.Equal(0f, value)));
            Assert.Equal((false, true), schedule.Backwards.Single());
            Assert.All(inputGradient, value => Assert.Equal(-1f, value));
            Assert.Equal(4, scratch.Columns(1).Length);
        }

        [Fact]
        public void Backward_needs_a_training_forward_when_the_network_says_so()
        {
            var (runner, schedule, _) = Create(backwardNeedsTraining: true);
            runner.Forward(new float[InputLength], new float[OutputLength], 1);
            var error = Assert.Throws<InvalidOperationException>(() => runner.Backward(new float[OutputLength], 1));
            Assert.Contains("Training = true", error.Message);
            Assert.Empty(schedule.Backwards);

            runner.Training = true;
            runner.Forward(new float[InputLength], new float[OutputLength], 1);
            runner.Backward(new[] { 1f, 2f, 3f }, 1);
            Assert.Equal(new[] { 1f, 2f, 3f }, schedule.OutputGradients.Single());
        }

        [Fact]
        public void Gradients_that_do_not_align_with_the_parameters_are_refused()
        {
            var schedule = new RecordingSchedule(InputLength, OutputLength, new WorkerScratch(0, 0));
            var error = Assert.Throws<ArgumentException>(() => new NetworkRunner(schedule, "Net", InputLength, OutputLength, new float[5], new float[4], schedule.Scratch, new ParameterWrites(), false, false));
            Assert.Equal("gradients", error.ParamName);
        }

        private static (NetworkRunner Runner, RecordingSchedule Schedule, float[] Gradients) Create(
            bool endsWithSoftmax = false, bool backwardNeedsTraining = false, WorkerScratch? scratch = null)
        {
            var schedule = new RecordingSchedule(InputLength, OutputLength, scratch ?? new WorkerScratch(columnLength: 0, factorLength: 0));
            var gradients = new float[5];
            var runner = new NetworkRunner(schedule, "Net", InputLength, OutputLength, new float[5], gradients, schedule.Scratch, new ParameterWrites(), endsWithSoftmax, backwardNeedsTraining);
            schedule.Runner = runner;
            return (runner, schedule, gradients);
        }
    }
}
