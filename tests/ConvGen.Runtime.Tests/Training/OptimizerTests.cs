using System;
using ConvGen;

namespace ConvGen.Runtime.Tests.Training
{
    public class OptimizerTests
    {
        private const int Length = 19; // two AVX2 vectors plus a scalar tail

        private static readonly double[][] Gradients = MakeGradients();

        private static double[] InitialValues()
        {
            var values = new double[Length];
            for (var i = 0; i < Length; i++)
            {
                values[i] = Math.Sin(i + 1) * 0.75;
            }

            return values;
        }

        private static double[][] MakeGradients()
        {
            var gradients = new double[3][];
            for (var t = 0; t < 3; t++)
            {
                gradients[t] = new double[Length];
                for (var i = 0; i < Length; i++)
                {
                    gradients[t][i] = Math.Cos(0.7 * i + 1.3 * t) * (t + 1) * 0.5;
                }
            }

            return gradients;
        }

        /// <summary>torch.optim.SGD's documented algorithm, in double precision.</summary>
        private static double[] SgdReference(int steps, double lr, double momentum, double dampening, double weightDecay, bool nesterov)
        {
            var p = InitialValues();
            var buffer = new double[Length];
            for (var t = 0; t < steps; t++)
            {
                for (var i = 0; i < Length; i++)
                {
                    var g = Gradients[t][i] + weightDecay * p[i];
                    if (momentum != 0)
                    {
                        buffer[i] = t == 0 ? g : momentum * buffer[i] + (1 - dampening) * g;
                        g = nesterov ? g + momentum * buffer[i] : buffer[i];
                    }

                    p[i] -= lr * g;
                }
            }

            return p;
        }

        /// <summary>Adam / AdamW as published (bias-corrected moments), in double precision.</summary>
        private static double[] AdamReference(int steps, double lr, double beta1, double beta2, double eps, double l2, double decoupled)
        {
            var p = InitialValues();
            var m = new double[Length];
            var v = new double[Length];
            for (var t = 1; t <= steps; t++)
            {
                for (var i = 0; i < Length; i++)
                {
                    p[i] *= 1 - lr * decoupled;
                    var g = Gradients[t - 1][i] + l2 * p[i];
                    m[i] = beta1 * m[i] + (1 - beta1) * g;
                    v[i] = beta2 * v[i] + (1 - beta2) * g * g;
                    var mHat = m[i] / (1 - Math.Pow(beta1, t));
                    var vHat = v[i] / (1 - Math.Pow(beta2, t));
                    p[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
                }
            }

            return p;
        }

        private static float[] Run(Optimizer optimizer, int steps)
        {
            var values = Array.ConvertAll(InitialValues(), v => (float)v);
            for (var t = 0; t < steps; t++)
            {
                optimizer.Step(values, Array.ConvertAll(Gradients[t], g => (float)g));
            }

            return values;
        }

        private static void AssertClose(double[] expected, float[] actual)
        {
            Assert.Equal(expected.Length, actual.Length);
            for (var i = 0; i < expected.Length; i++)
            {
                var tolerance = 2e-6 + 2e-6 * Math.Abs(expected[i]);
                Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"element {i}: expected {expected[i]:R}, got {actual[i]:R}");
            }
        }

        [Theory]
        [InlineData(0.01f, 0f, 0f, 0f, false)]
        [InlineData(0.01f, 0.9f, 0f, 0f, false)]
        [InlineData(0.05f, 0.9f, 0.1f, 0.01f, false)]
        [InlineData(0.02f, 0.8f, 0f, 0.001f, true)]
        public void Sgd_matches_the_PyTorch_update_rule_for_three_steps(float lr, float momentum, float dampening, float weightDecay, bool nesterov)
        {
            for (var steps = 1; steps <= 3; steps++)
            {
                var actual = Run(new Sgd(lr, momentum, dampening, weightDecay, nesterov), steps);
                AssertClose(SgdReference(steps, lr, momentum, dampening, weightDecay, nesterov), actual);
            }
        }

        [Fact]
        public void Sgd_with_momentum_gives_hand_computed_values()
        {
            // p = 1, g = 1 every step, lr = 0.1, momentum = 0.9: buf = 1, 1.9, 2.71 → p = 0.9, 0.71, 0.439.
            var sgd = new Sgd(learningRate: 0.1f, momentum: 0.9f);
            var p = new[] { 1f };
            var expected = new[] { 0.9f, 0.71f, 0.439f };
            foreach (var value in expected)
            {
                sgd.Step(p, new[] { 1f });
                Assert.Equal(value, p[0], 6);
            }
        }

        [Theory]
        [InlineData(1e-3f, 0.9f, 0.999f, 1e-8f, 0f)]
        [InlineData(0.01f, 0.8f, 0.99f, 1e-6f, 0.1f)]
        public void Adam_matches_the_published_update_for_three_steps(float lr, float beta1, float beta2, float eps, float weightDecay)
        {
            for (var steps = 1; steps <= 3; steps++)
            {
                var actual = Run(new Adam(lr, beta1, beta2, eps, weightDecay), steps);
                AssertClose(AdamReference(steps, lr, beta1, beta2, eps, l2: weightDecay, decoupled: 0), actual);
            }
        }

        [Theory]
        [InlineData(1e-3f, 0.9f, 0.999f, 1e-8f, 1e-2f)]
        [InlineData(0.05f, 0.85f, 0.995f, 1e-7f, 0.3f)]
        public void AdamW_matches_the_published_update_for_three_steps(float lr, float beta1, float beta2, float eps, float weightDecay)
        {
            for (var steps = 1; steps <= 3; steps++)
            {
                var actual = Run(new AdamW(lr, beta1, beta2, eps, weightDecay), steps);
                AssertClose(AdamReference(steps, lr, beta1, beta2, eps, l2: 0, decoupled: weightDecay), actual);
            }
        }

        [Fact]
        public void Adam_first_step_moves_each_parameter_by_the_learning_rate_against_the_gradient_sign()
        {
            // After bias correction the first step is lr · g / (|g| + eps).
            var adam = new Adam(learningRate: 0.1f);
            var p = new[] { 1f, 1f };
            adam.Step(p, new[] { 2f, -0.5f });
            Assert.Equal(0.9f, p[0], 6);
            Assert.Equal(1.1f, p[1], 6);
        }

        [Fact]
        public void AdamW_with_zero_gradient_only_decays_the_weights()
        {
            var adamW = new AdamW(learningRate: 0.1f, weightDecay: 0.01f);
            var p = new[] { 1f };
            for (var t = 0; t < 3; t++)
            {
                adamW.Step(p, new[] { 0f });
            }

            Assert.Equal(Math.Pow(0.999, 3), p[0], 6);
        }

        [Fact]
        public void Defaults_are_PyTorchs()
        {
            var adam = new Adam();
            Assert.Equal((1e-3f, 0.9f, 0.999f, 1e-8f, 0f), (adam.LearningRate, adam.Beta1, adam.Beta2, adam.Epsilon, adam.WeightDecay));
            var adamW = new AdamW();
            Assert.Equal((1e-3f, 0.9f, 0.999f, 1e-8f, 1e-2f), (adamW.LearningRate, adamW.Beta1, adamW.Beta2, adamW.Epsilon, adamW.WeightDecay));
            var sgd = new Sgd();
            Assert.Equal((0.01f, 0f, 0f, 0f, false), (sgd.LearningRate, sgd.Momentum, sgd.Dampening, sgd.WeightDecay, sgd.Nesterov));
        }

        public static TheoryData<string> OptimizerNames => new() { "sgd", "sgd-momentum", "adam", "adamw" };

        private static Optimizer Create(string name) => name switch
        {
            "sgd" => new Sgd(0.01f),
            "sgd-momentum" => new Sgd(0.01f, momentum: 0.9f, nesterov: true),
            "adam" => new Adam(),
            _ => new AdamW(),
        };

        [Theory]
        [MemberData(nameof(OptimizerNames))]
        public void Steps_after_the_first_allocate_nothing(string name)
        {
            var optimizer = Create(name);
            var values = new float[1000];
            var gradients = new float[1000];
            Array.Fill(gradients, 0.5f);
            optimizer.Step(values, gradients);
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 10; i++)
            {
                optimizer.Step(values, gradients);
            }

            Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        }

        [Theory]
        [MemberData(nameof(OptimizerNames))]
        public void Changing_the_parameter_count_between_steps_throws(string name)
        {
            var optimizer = Create(name);
            optimizer.Step(new float[8], new float[8]);
            var exception = Assert.Throws<InvalidOperationException>(() => optimizer.Step(new float[9], new float[9]));
            Assert.Contains("8", exception.Message);
            Assert.Contains("9", exception.Message);
        }

        [Theory]
        [MemberData(nameof(OptimizerNames))]
        public void Mismatched_gradient_length_throws(string name)
        {
            var exception = Assert.Throws<ArgumentException>(() => Create(name).Step(new float[4], new float[3]));
            Assert.Contains("3", exception.Message);
            Assert.Contains("4", exception.Message);
        }

        [Fact]
        public void Invalid_hyperparameters_are_rejected()
        {
            Assert.Throws<ArgumentException>(() => new Sgd(0.1f, momentum: 0f, nesterov: true));
            Assert.Throws<ArgumentException>(() => new Sgd(0.1f, momentum: 0.9f, dampening: 0.1f, nesterov: true));
            Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(-0.1f));
            Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(beta1: 1f));
            Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW(beta2: -0.1f));
            Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(learningRate: float.NaN));
        }

        [Fact]
        public void Step_on_a_network_updates_its_flat_parameters()
        {
            var network = new Fakes.LinearClassifier(inputs: 3, classes: 2);
            var before = network.ParameterValues.ToArray();
            network.ParameterGradients.Fill(1f);
            new Sgd(0.5f).Step(network);
            for (var i = 0; i < before.Length; i++)
            {
                Assert.Equal(before[i] - 0.5f, network.ParameterValues[i], 6);
            }
        }
    }
}
