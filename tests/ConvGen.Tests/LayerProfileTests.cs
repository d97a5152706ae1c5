using System;
using System.Linq;
using ConvGen.Tests.Networks;

namespace ConvGen.Tests
{
    /// <summary>A generated network's <c>Profile</c>: each layer's steps named as the generated code describes them, in order.</summary>
    public sealed class LayerProfileTests
    {
        [Fact]
        public void A_forward_pass_records_each_layer_once_in_order_under_its_kind_options_and_shapes()
        {
            var net = new LeNet5 { Threads = 1 };
            var profile = new LayerProfile();
            net.Profile = profile;

            var output = new float[LeNet5.OutputLength];
            net.Forward(new float[LeNet5.InputLength], output);
            net.Forward(new float[LeNet5.InputLength], output);

            Assert.Equal(new[]
            {
                "conv1: Conv2D 1→20, 5×5, stride 1, pad 2, ReLU: 1×28×28 → 20×28×28",
                "maxpool1: MaxPool2D 2×2, stride 2, pad 0: 20×28×28 → 20×14×14",
                "conv2: Conv2D 20→50, 5×5, stride 1, pad 2, ReLU: 20×14×14 → 50×14×14",
                "maxpool2: MaxPool2D 2×2, stride 2, pad 0: 50×14×14 → 50×7×7",
                "dense1: Dense 2450→500, ReLU: 2450 → 500",
                "dense2: Dense 500→10: 500 → 10",
            }, profile.Steps.Select(s => s.Step));
            Assert.All(profile.Steps, s => Assert.Equal(2, s.Calls));
        }

        [Fact]
        public void A_training_step_adds_the_backward_steps_in_reverse_layer_order_then_the_gradient_reduction()
        {
            var net = new LeNet5 { Threads = 1 };
            var profile = new LayerProfile();
            net.Profile = profile;
            var inputs = new float[2 * LeNet5.InputLength];
            for (var i = 0; i < inputs.Length; i++)
            {
                inputs[i] = (i % 7) / 7f;
            }

            net.TrainStep(inputs, new[] { 1, 2 }, 2, new Sgd(0.01f));

            var layers = profile.Steps.Select(s => s.Layer).ToArray();
            Assert.Equal(new[] { "conv1", "maxpool1", "conv2", "maxpool2", "dense1", "dense2" }, layers.Take(6));
            // dense1's activation backward is a step of its own; the workers' conv-gradient sums are reduced last (one worker here).
            Assert.Equal(new[] { "dense2 backward", "dense1 backward", "dense1 backward", "maxpool2 backward", "conv2 backward", "maxpool1 backward", "conv1 backward", "reduce gradients" }, layers.Skip(6));
            Assert.All(profile.Steps, s => Assert.Equal(1, s.Calls));
        }

        [Fact]
        public void A_graph_network_lists_its_branches_in_the_order_they_run_and_names_what_each_reads()
        {
            var net = new InceptionGraphNet { Threads = 1 };
            var profile = new LayerProfile();
            net.Profile = profile;

            net.Forward(new float[InceptionGraphNet.InputLength], new float[InceptionGraphNet.OutputLength]);

            // The branches' convs write straight into the Concat's slices, so the Concat is no step of its own.
            Assert.Equal(new[]
            {
                "stem: Conv2D 4→6, 1×1, stride 1, pad 0, Tanh: 4×7×7 → 6×7×7",
                "conv1: Conv2D 6→3, 1×1, stride 1, pad 0: 6×7×7 → 3×7×7",
                "conv2: Conv2D 6→2, 1×1, stride 1, pad 0 (reads stem): 6×7×7 → 2×7×7",
                "conv3: Conv2D 2→4, 3×3, stride 1, pad 1: 2×7×7 → 4×7×7",
                "maxpool1: MaxPool2D 3×3, stride 1, pad 1 (reads stem): 6×7×7 → 6×7×7",
                "conv4: Conv2D 6→2, 1×1, stride 1, pad 0: 6×7×7 → 2×7×7",
                "tanh1: Tanh: 9×7×7 → 9×7×7",
                "avgpool1: AvgPool2D 2×2, stride 2, pad 0: 9×7×7 → 9×3×3",
                "dense1: Dense 81→4: 81 → 4",
            }, profile.Steps.Select(s => s.Step));
        }

        [Fact]
        public void One_profile_serves_one_network_instance()
        {
            var first = new LeNet5();
            var second = new LeNet5();
            var profile = new LayerProfile();
            first.Profile = profile;

            Assert.Throws<ArgumentException>(() => second.Profile = profile);
            Assert.Null(second.Profile);
            Assert.Same(profile, first.Profile);
        }
    }
}
