using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Data;
using ConvGen.Runtime.Tests.Fakes;

namespace ConvGen.Runtime.Tests.Data
{
    public class TrainerAugmentationTests
    {
        /// <summary>Records what it is given, checks the images are the samples it is told they are, then blanks them.</summary>
        private sealed class BlankingAugmentation(Dataset train) : IAugmentation
        {
            public List<(int Epoch, int[] Samples)> Calls { get; } = new();

            public void Apply(Span<float> images, int channels, int height, int width, ReadOnlySpan<int> samples, int epoch)
            {
                Assert.Equal((train.Channels, train.Height, train.Width), (channels, height, width));
                for (var i = 0; i < samples.Length; i++)
                {
                    Assert.True(train.Image(samples[i]).SequenceEqual(images.Slice(i * train.SampleLength, train.SampleLength)));
                }

                Calls.Add((epoch, samples.ToArray()));
                images.Clear();
            }
        }

        private static Dataset Points(int count)
        {
            var images = Enumerable.Range(0, 2 * count).Select(v => (v % 7) - 3f).ToArray();
            var labels = Enumerable.Range(0, count).Select(i => i % 3).ToArray();
            return new Dataset(images, labels, 1, 1, 2);
        }

        [Fact]
        public void Fit_hands_every_batch_with_its_sample_indices_and_epoch_to_the_augmentation_and_trains_on_the_result()
        {
            var train = Points(25);
            var augmentation = new BlankingAugmentation(train);
            var network = new LinearClassifier(inputs: 2, classes: 3);
            var initialWeights = network.Parameters["fc.weight"].Values.ToArray();
            var initialBias = network.Parameters["fc.bias"].Values.ToArray();

            Trainer.Fit(network, train, new TrainerOptions { Epochs = 2, BatchSize = 10, Seed = 4, Augmentation = augmentation, Validation = Points(6) }, new Sgd(0.1f));

            // Three batches (10, 10, 5) per epoch, together covering every sample once.
            Assert.Equal(new[] { 0, 0, 0, 1, 1, 1 }, augmentation.Calls.Select(c => c.Epoch));
            Assert.Equal(new[] { 10, 10, 5, 10, 10, 5 }, augmentation.Calls.Select(c => c.Samples.Length));
            foreach (var epoch in new[] { 0, 1 })
            {
                Assert.Equal(Enumerable.Range(0, 25), augmentation.Calls.Where(c => c.Epoch == epoch).SelectMany(c => c.Samples).Order());
            }

            // The network only ever saw blank images: the weights get no gradient, the bias does.
            Assert.Equal(initialWeights, network.Parameters["fc.weight"].Values.ToArray());
            Assert.NotEqual(initialBias, network.Parameters["fc.bias"].Values.ToArray());
        }
    }
}
