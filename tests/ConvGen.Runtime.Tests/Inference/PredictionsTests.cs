using System;
using System.Linq;
using ConvGen;
using ConvGen.Data;
using ConvGen.Runtime.Tests.Fakes;

namespace ConvGen.Runtime.Tests.Inference
{
    public class PredictionsTests
    {
        // logits = (x0, x1, −x0 − x1): class 0 when x0 is largest, 1 when x1 is, 2 when both are negative enough.
        private static LinearClassifier ThreeWay()
        {
            var network = new LinearClassifier(inputs: 2, classes: 3);
            new float[] { 1, 0, 0, 1, -1, -1, 0, 0, 0 }.CopyTo(network.ParameterValues);
            return network;
        }

        private static readonly float[] Samples = { 2, 1, 0, 3, -1, -1, 4, -1.5f };
        private static readonly int[] Classes = { 0, 1, 2, 0 };

        [Fact]
        public void Predict_gives_the_arg_max_of_one_sample()
        {
            var network = ThreeWay();
            for (var i = 0; i < Classes.Length; i++)
            {
                Assert.Equal(Classes[i], network.Predict(Samples.AsSpan(i * 2, 2)));
            }
        }

        [Fact]
        public void Predict_classifies_a_batch_and_a_dataset_in_inference_mode_and_restores_training()
        {
            var network = ThreeWay();
            network.Training = true;
            var classes = new int[4];
            network.Predict(Samples, classes);
            Assert.Equal(Classes, classes);

            var data = new Dataset(Samples, new int[4], 1, 1, 2);
            Assert.Equal(Classes, network.Predict(data, batchSize: 3));
            Assert.Equal(new[] { false, false, false }, network.TrainingSeenByForward); // one batch of 4, then 3 + 1
            Assert.True(network.Training);
        }

        [Fact]
        public void Predict_runs_more_samples_than_one_default_batch()
        {
            var network = ThreeWay();
            var count = Predictions.DefaultBatchSize + 44;
            var inputs = Enumerable.Range(0, count * 2).Select(i => (float)Math.Sin(i * 0.7)).ToArray();
            var classes = new int[count];
            network.Predict(inputs, classes);
            Assert.Equal(2, network.TrainingSeenByForward.Count);
            for (var i = 0; i < count; i++)
            {
                Assert.Equal(network.Predict(inputs.AsSpan(i * 2, 2)), classes[i]);
            }
        }

        [Fact]
        public void Probabilities_are_the_softmax_of_logits()
        {
            var network = ThreeWay();
            var probabilities = new float[Samples.Length / 2 * 3];
            network.Probabilities(Samples, probabilities);
            for (var n = 0; n < 4; n++)
            {
                double x0 = Samples[n * 2], x1 = Samples[n * 2 + 1];
                var logits = new[] { x0, x1, -x0 - x1 };
                var sum = logits.Sum(Math.Exp);
                for (var k = 0; k < 3; k++)
                {
                    Assert.Equal(Math.Exp(logits[k]) / sum, probabilities[n * 3 + k], 6);
                }
            }

            Assert.Equal(probabilities.AsSpan(3, 3).ToArray(), network.Probabilities(Samples.AsSpan(2, 2)));
        }

        [Fact]
        public void Probabilities_of_a_network_ending_in_a_softmax_are_its_outputs()
        {
            var logits = ThreeWay();
            var softmax = new SoftmaxOutput(logits);
            var outputs = new float[12];
            softmax.Forward(Samples, outputs, 4);

            var probabilities = new float[12];
            softmax.Probabilities(Samples, probabilities);

            Assert.Equal(outputs, probabilities); // not the softmax of the probabilities again
            var fromLogits = new float[12];
            logits.Probabilities(Samples, fromLogits);
            Assert.Equal(fromLogits, probabilities);
            Assert.Equal(Classes, softmax.Predict(new Dataset(Samples, new int[4], 1, 1, 2)));
        }

        [Fact]
        public void Inputs_that_do_not_fit_are_rejected_naming_the_counts()
        {
            var network = ThreeWay();
            var exception = Assert.Throws<ArgumentException>(() => network.Predict(new float[5], new int[2]));
            Assert.Contains("inputs holds 5 floats; 2 samples of 2 need 4", exception.Message);
            exception = Assert.Throws<ArgumentException>(() => network.Probabilities(new float[4], new float[5]));
            Assert.Contains("not a whole number of samples of 3 outputs", exception.Message);
            Assert.Throws<ArgumentException>(() => network.Predict(new float[3]));
            Assert.Throws<ArgumentOutOfRangeException>(() => network.Predict(new Dataset(Samples, new int[4], 1, 1, 2), batchSize: 0));
            Assert.Empty(network.TrainingSeenByForward);
        }
    }
}
