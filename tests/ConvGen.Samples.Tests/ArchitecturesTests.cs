using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConvGen.Samples.Architectures;

namespace ConvGen.Samples.Tests
{
    /// <summary>
    /// The classic networks of samples/Architectures against torchvision 0.14: every parameter and BatchNorm buffer has torchvision's
    /// <c>state_dict</c> name and shape, in torchvision's order (Torchvision/*.txt, written by Torchvision/dump_state_dict_keys.py).
    /// </summary>
    public class ArchitecturesTests
    {
        public static TheoryData<string> TorchvisionNetworks() => new(Catalogue.All.Where(a => a.TorchvisionName is not null).Select(a => a.Name));

        private static Architecture Find(string name) => Catalogue.All.Single(a => a.Name == name);

        /// <summary>The lines of a torchvision layout file of the given kind ("parameter" or "buffer"), as "name shape".</summary>
        private static List<string> TorchvisionLayout(string model, string kind) =>
            File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Torchvision", model + ".txt"))
                .Where(line => line.StartsWith(kind + " ", StringComparison.Ordinal))
                .Select(line => line[(kind.Length + 1)..])
                .ToList();

        private static List<string> Layout(ParameterList tensors) => tensors.Select(t => $"{t.Name} {string.Join("x", t.Shape)}").ToList();

        [Theory]
        [MemberData(nameof(TorchvisionNetworks))]
        public void Parameters_and_buffers_have_torchvisions_names_shapes_and_order(string name)
        {
            var architecture = Find(name);
            var network = architecture.Create();

            Assert.Equal(TorchvisionLayout(architecture.TorchvisionName!, "parameter"), Layout(network.Parameters));
            Assert.Equal(TorchvisionLayout(architecture.TorchvisionName!, "buffer"), Layout(network.Buffers));
        }

        [Theory]
        [InlineData(nameof(ClassicLeNet5), 61_706)]
        [InlineData(nameof(LeNet5), 1_256_080)]
        [InlineData(nameof(AlexNet), 61_100_840)]
        [InlineData(nameof(Vgg16), 138_357_544)]
        [InlineData(nameof(GoogLeNet), 6_624_904)]
        [InlineData(nameof(ResNet18), 11_689_512)]
        [InlineData(nameof(ResNet34), 21_797_672)]
        [InlineData(nameof(ResNet50), 25_557_032)]
        [InlineData(nameof(DenseNet121), 7_978_856)]
        public void Parameter_counts_are_the_published_ones_and_the_summary_says_so(string name, int parameters)
        {
            var architecture = Find(name);
            Assert.Equal(parameters, architecture.ParameterCount);
            Assert.Contains($"Total parameters: {parameters:#,0}", architecture.Summary);
            if (architecture.TorchvisionName is { } model)
            {
                var torchvisionCount = TorchvisionLayout(model, "parameter").Sum(line => line.Split(' ')[1].Split('x').Aggregate(1L, (product, size) => product * int.Parse(size)));
                Assert.Equal(parameters, torchvisionCount);
            }
        }

        /// <summary>
        /// One inference pass at the declared input size (3×224×224 for the ImageNet networks). ResNet-34, ResNet-50 and VGG-16 are
        /// left out to keep the suite fast: they add no layer kind or graph structure that ResNet-18, GoogLeNet and DenseNet-121 lack.
        /// </summary>
        [Theory]
        [InlineData(nameof(ClassicLeNet5))]
        [InlineData(nameof(LeNet5))]
        [InlineData(nameof(AlexNet))]
        [InlineData(nameof(GoogLeNet))]
        [InlineData(nameof(ResNet18))]
        [InlineData(nameof(DenseNet121))]
        public void Forward_at_the_declared_input_gives_finite_scores_of_the_right_length(string name)
        {
            var architecture = Find(name);
            var network = architecture.Create();
            network.Threads = 2;
            var random = new Random(3);
            var input = Enumerable.Range(0, network.InputLength).Select(_ => (float)random.NextDouble() * 2 - 1).ToArray();
            var output = new float[network.OutputLength];

            network.Forward(input, output);

            Assert.Equal(architecture.TorchvisionName is null ? 10 : 1000, network.OutputLength); // the LeNets classify digits, the rest ImageNet
            Assert.All(output, value => Assert.True(float.IsFinite(value)));
            Assert.True(output.Distinct().Count() > network.OutputLength / 2, "the scores should differ between classes");
        }
    }
}
