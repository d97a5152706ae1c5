using System;
using System.Linq;
using ConvGen.Tests.Networks;

namespace ConvGen.Tests
{
    /// <summary>TrainStep's contract: losses, errors, steady-state allocation, and learning on small problems.</summary>
    public sealed class TrainingTests
    {
        [Fact]
        public void Steady_state_train_step_does_not_allocate()
        {
            var net = new LeNet5(seed: 1) { Threads = 1 };
            var optimizer = new Sgd(learningRate: 0.01f, momentum: 0.9f);
            var inputs = TestData.Random(8 * LeNet5.InputLength, seed: 2);
            var labels = new[] { 0, 1, 2, 3, 4, 5, 6, 7 };
            for (var i = 0; i < 3; i++)
            {
                net.TrainStep(inputs, labels, 8, optimizer);
            }

            Assert.Equal(0, SteadyState.AllocatedBytes(() => net.TrainStep(inputs, labels, 8, optimizer), calls: 5));
        }

        [Fact]
        public void Repeated_steps_on_one_batch_drive_the_loss_down()
        {
            var net = new ConvOptionsNet(seed: 3);
            var inputs = TestData.Random(6 * ConvOptionsNet.InputLength, seed: 4);
            var labels = new[] { 0, 1, 2, 3, 4, 0 };
            var optimizer = new Adam(learningRate: 1e-2f);
            var first = net.TrainStep(inputs, labels, 6, optimizer);
            var last = first;
            for (var i = 0; i < 60; i++)
            {
                last = net.TrainStep(inputs, labels, 6, optimizer);
            }

            Assert.InRange(first, 1.2f, 2.2f); // about ln 5 for a fresh network
            Assert.True(last < 0.1f * first, $"loss went from {first} to {last}");
        }

        [Fact]
        public void Regression_train_step_minimizes_mean_squared_error()
        {
            var net = new DropoutNet(seed: 1);
            var inputs = TestData.Random(4 * DropoutNet.InputLength, seed: 6);
            var targets = TestData.Random(4 * DropoutNet.OutputLength, seed: 7, scale: 0.5f);
            var optimizer = new Sgd(learningRate: 0.05f, momentum: 0.9f);
            var first = net.TrainStep(inputs, targets, 4, optimizer);
            for (var i = 0; i < 200; i++)
            {
                net.TrainStep(inputs, targets, 4, optimizer);
            }

            var output = new float[targets.Length];
            net.Forward(inputs, output, 4);
            var mse = output.Zip(targets, (o, t) => (o - t) * (o - t)).Average();
            Assert.True(mse < 0.2 * first, $"MSE went from {first} to {mse}");
        }

        [Fact]
        public void Bad_labels_and_lengths_are_rejected_before_any_weight_changes()
        {
            var net = new ConvOptionsNet();
            var before = net.ParameterValues.ToArray();
            var inputs = new float[2 * ConvOptionsNet.InputLength];
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => net.TrainStep(inputs, new[] { 1, 5 }, 2, new Sgd(0.1f)));
            Assert.Contains("5", error.Message);
            Assert.Throws<ArgumentException>(() => net.TrainStep(inputs, new[] { 1 }, 2, new Sgd(0.1f)));
            Assert.Throws<ArgumentException>(() => net.TrainStep(inputs, new float[3], 2, new Sgd(0.1f)));
            Assert.Equal(before, net.ParameterValues.ToArray());
        }

        [Fact]
        public void A_diverging_run_names_the_step()
        {
            var net = new ConvOptionsNet();
            net.ParameterValues.Fill(float.NaN);
            var error = Assert.Throws<TrainingDivergedException>(() => net.TrainStep(new float[ConvOptionsNet.InputLength], new[] { 0 }, 1, new Sgd(0.1f)));
            Assert.Contains("step 0", error.Message);
        }

        [Fact]
        public void Dropout_drops_at_its_rate_scales_the_rest_and_routes_gradients_through_the_mask()
        {
            const int batch = 64;
            var net = new BareDropoutNet(seed: 2) { Training = true };
            var input = TestData.Random(batch * BareDropoutNet.InputLength, seed: 3).Select(v => v + 2f).ToArray(); // never zero
            var output = new float[input.Length];
            net.Forward(input, output, batch);
            var dropped = output.Count(v => v == 0f) / (double)output.Length;
            Assert.InRange(dropped, 0.23, 0.27); // 6,400 draws at p = 0.25: ±3.7σ
            for (var i = 0; i < output.Length; i++)
            {
                Assert.True(output[i] == 0f || Math.Abs(output[i] - (input[i] / 0.75f)) < 1e-5f, $"element {i}: kept values are scaled by 1/(1 − p)");
            }

            var outputGradient = TestData.Random(output.Length, seed: 4);
            var inputGradient = new float[input.Length];
            net.Backward(outputGradient, inputGradient, batch);
            for (var i = 0; i < output.Length; i++)
            {
                Assert.Equal(output[i] == 0f ? 0f : outputGradient[i] / 0.75f, inputGradient[i], 1e-6f);
            }

            // The same seed and pass give the same mask whatever the thread count; the next pass draws a new one.
            var twin = new BareDropoutNet(seed: 2) { Training = true, Threads = 1 };
            var repeat = new float[output.Length];
            twin.Forward(input, repeat, batch);
            Assert.Equal(output, repeat);
            twin.Forward(input, repeat, batch);
            Assert.NotEqual(output, repeat);

            // Inference is the identity.
            net.Training = false;
            net.Forward(input, output, batch);
            Assert.Equal(input, output);
        }
    }
}
