using System;
using System.Linq;
using ConvGen.Networks;
using ConvGen.Runtime.Tests.Fakes;

namespace ConvGen.Runtime.Tests.Profiling
{
    /// <summary>A <see cref="LayerProfile"/> attached to a runner: what it records per step, and what it refuses.</summary>
    public sealed class LayerProfileTests
    {
        private const int InputLength = 2;
        private const int OutputLength = 3;

        [Fact]
        public void Each_step_is_recorded_once_per_run_under_its_description_in_the_order_the_steps_first_ran()
        {
            var (runner, schedule) = Create();
            schedule.Split = (4, 1000);
            var profile = new LayerProfile();
            runner.Profile = profile;
            var output = new float[OutputLength];

            runner.Forward(new float[InputLength], output, 1);
            runner.Forward(new float[InputLength], output, 1);
            runner.Backward(new float[OutputLength], 1);

            var steps = profile.Steps;
            Assert.Equal(new[] { "recorded: forward", "recorded: split units", "recorded backward: private gradient sums" }, steps.Select(s => s.Step));
            Assert.Equal(new[] { 2L, 2L, 1L }, steps.Select(s => s.Calls));
            Assert.Equal(new[] { "recorded", "recorded", "recorded backward" }, steps.Select(s => s.Layer));
            Assert.All(steps, s => Assert.True(s.Elapsed >= TimeSpan.Zero && s.Mean <= s.Elapsed));
            Assert.Equal(steps.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Elapsed), profile.Total);
        }

        [Fact]
        public void Several_workers_add_the_reduction_of_their_gradients_as_a_step_of_its_own()
        {
            var scratch = new WorkerScratch(columnLength: 0, factorLength: 0, new LocalGradientRange(Offset: 0, Parameter: 0, Length: 2));
            var (runner, _) = Create(scratch);
            runner.Threads = 2;
            var profile = new LayerProfile();
            runner.Profile = profile;

            runner.Forward(new float[2 * InputLength], new float[2 * OutputLength], 2);
            runner.Backward(new float[2 * OutputLength], 2);

            Assert.Equal(new[] { "recorded", "recorded backward", "reduce gradients" }, profile.Steps.Select(s => s.Layer));
        }

        [Fact]
        public void Nothing_is_recorded_without_a_profile_or_after_it_is_detached_and_Clear_forgets_but_stays_attached()
        {
            var (runner, _) = Create();
            var profile = new LayerProfile();
            runner.Forward(new float[InputLength], new float[OutputLength], 1);
            runner.Profile = profile;
            Assert.Same(profile, runner.Profile);
            runner.Forward(new float[InputLength], new float[OutputLength], 1);
            Assert.Equal(1, profile.Steps.Single().Calls);

            profile.Clear();
            Assert.Empty(profile.Steps);
            Assert.Equal(TimeSpan.Zero, profile.Total);
            runner.Forward(new float[InputLength], new float[OutputLength], 1);
            Assert.Equal(1, profile.Steps.Single().Calls);

            runner.Profile = null;
            runner.Forward(new float[InputLength], new float[OutputLength], 1);
            Assert.Equal(1, profile.Steps.Single().Calls);

            // Attaching it again to the same network is allowed and carries on.
            runner.Profile = profile;
            runner.Forward(new float[InputLength], new float[OutputLength], 1);
            Assert.Equal(2, profile.Steps.Single().Calls);
        }

        [Fact]
        public void A_profile_that_records_one_network_is_refused_by_another_which_keeps_its_own()
        {
            var (first, _) = Create();
            var (second, _) = Create();
            var profile = new LayerProfile();
            var own = new LayerProfile();
            first.Profile = profile;
            second.Profile = own;

            var error = Assert.Throws<ArgumentException>(() => second.Profile = profile);
            Assert.Contains("another network", error.Message, StringComparison.Ordinal);
            Assert.Same(own, second.Profile);
            second.Forward(new float[InputLength], new float[OutputLength], 1);
            Assert.Empty(profile.Steps);
            Assert.Single(own.Steps);
        }

        [Fact]
        public void The_table_lists_every_step_slowest_first_with_its_calls_and_the_total()
        {
            var (runner, schedule) = Create();
            schedule.Split = (4, 1000);
            var profile = new LayerProfile();
            runner.Profile = profile;
            runner.Forward(new float[InputLength], new float[OutputLength], 1);

            var lines = profile.ToString().Split(Environment.NewLine);
            Assert.StartsWith(" share", lines[0], StringComparison.Ordinal);
            var expected = profile.Steps.OrderByDescending(s => s.Elapsed).Select(s => s.Step);
            Assert.Equal(expected, lines.Skip(1).Take(2).Select(l => l.Substring(l.LastIndexOf("  ", StringComparison.Ordinal) + 2)));
            Assert.All(lines.Skip(1).Take(2), l => Assert.Contains("        1  ", l, StringComparison.Ordinal));
            Assert.EndsWith("all steps", lines[^1], StringComparison.Ordinal);
            Assert.Equal(4, lines.Length);
        }

        private static (NetworkRunner Runner, RecordingSchedule Schedule) Create(WorkerScratch? scratch = null)
        {
            var schedule = new RecordingSchedule(InputLength, OutputLength, scratch ?? new WorkerScratch(columnLength: 0, factorLength: 0));
            var runner = new NetworkRunner(schedule, "Net", InputLength, OutputLength, new float[5], new float[5], schedule.Scratch, new ParameterWrites(), false, false);
            schedule.Runner = runner;
            return (runner, schedule);
        }
    }
}
