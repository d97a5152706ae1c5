using System;
using ConvGen;

namespace ConvGen.Runtime.Tests.Training
{
    public class ScheduleTests
    {
        [Fact]
        public void StepSchedule_decays_by_gamma_every_step_size_epochs()
        {
            var schedule = new StepSchedule(initial: 0.1f, stepSize: 3, gamma: 0.5f);
            var expected = new[] { 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125 };
            for (var epoch = 0; epoch < expected.Length; epoch++)
            {
                Assert.Equal(expected[epoch], schedule.LearningRateAt(epoch), 7);
            }
        }

        [Fact]
        public void CosineSchedule_follows_the_closed_form()
        {
            const double initial = 0.1, minimum = 0.001;
            const int total = 10;
            var schedule = new CosineSchedule((float)initial, total, (float)minimum);
            for (var epoch = 0; epoch <= total; epoch++)
            {
                var expected = minimum + (initial - minimum) * (1 + Math.Cos(Math.PI * epoch / total)) / 2;
                Assert.Equal(expected, schedule.LearningRateAt(epoch), 7);
            }

            Assert.Equal(0.1f, schedule.LearningRateAt(0));
            Assert.Equal((initial + minimum) / 2, schedule.LearningRateAt(5), 7);
            Assert.Equal(0.001f, schedule.LearningRateAt(total + 5));
        }

        [Fact]
        public void Schedules_reject_bad_arguments()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new StepSchedule(0.1f, 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule(0.1f, 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule(0.1f, 10, minimum: 0.2f));
            Assert.Throws<ArgumentOutOfRangeException>(() => new StepSchedule(0.1f, 2).LearningRateAt(-1));
        }
    }
}
