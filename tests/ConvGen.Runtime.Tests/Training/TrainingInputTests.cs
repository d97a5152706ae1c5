using System;

namespace ConvGen.Runtime.Tests.Training
{
    public class TrainingInputTests
    {
        [Fact]
        public void Labels_outside_the_classes_name_the_sample()
        {
            TrainingInput.RequireLabels(new[] { 0, 9, 3 }, 10);
            var exception = Assert.Throws<ArgumentOutOfRangeException>(() => TrainingInput.RequireLabels(new[] { 0, 9, 10 }, 10));
            Assert.StartsWith("The label of sample 2 is 10, outside [0, 10).", exception.Message);
            Assert.Contains("sample 1 is -1", Assert.Throws<ArgumentOutOfRangeException>(() => TrainingInput.RequireLabels(new[] { 0, -1 }, 10)).Message);
        }

        [Fact]
        public void The_first_non_finite_value_is_found_at_every_position_and_length()
        {
            // Lengths around the vector width, so both the vector loop and the scalar tail are exercised.
            foreach (var bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
            {
                for (var length = 1; length <= 40; length++)
                {
                    Assert.Equal(-1, TrainingInput.IndexOfNonFinite(Values(length)));
                    for (var position = 0; position < length; position++)
                    {
                        var values = Values(length);
                        values[position] = bad;
                        if (position + 1 < length)
                        {
                            values[length - 1] = float.NaN;
                        }

                        Assert.Equal(position, TrainingInput.IndexOfNonFinite(values));
                    }
                }
            }
        }

        [Fact]
        public void A_non_finite_input_names_the_sample_and_the_index_in_it()
        {
            var inputs = Values(3 * 16);
            inputs[(2 * 16) + 5] = float.NaN;
            var exception = Assert.Throws<ArgumentException>(() => TrainingInput.RequireFiniteInputs(inputs, 16));
            Assert.Equal("inputs", exception.ParamName);
            Assert.StartsWith("Sample 2 has a non-finite input: value 5 of the sample is NaN. Nothing was trained", exception.Message);
            Assert.Contains("not a learning rate problem", exception.Message);
        }

        [Fact]
        public void A_non_finite_target_names_the_sample_and_the_index_in_it()
        {
            var targets = Values(4);
            targets[3] = float.NegativeInfinity;
            var exception = Assert.Throws<ArgumentException>(() => TrainingInput.RequireFiniteTargets(targets, 2));
            Assert.StartsWith("Sample 1 has a non-finite target: value 1 of the sample is -Infinity.", exception.Message);
        }

        [Fact]
        public void Batch_buffers_larger_than_an_array_say_which_batch_fits()
        {
            Assert.Equal(64 * 784, BatchBuffer.Length(64, 784));
            var exception = Assert.Throws<ArgumentOutOfRangeException>(() => BatchBuffer.Length(3_000_000, 1000));
            Assert.Contains("A batch of 3000000 samples needs 3,000,000,000 floats", exception.Message);
            Assert.Contains("use batches of at most 2,147,483 samples", exception.Message);
        }

        private static float[] Values(int length)
        {
            var values = new float[length];
            for (var i = 0; i < length; i++)
            {
                values[i] = (i * 0.37f) - 3f;
            }

            return values;
        }
    }
}
