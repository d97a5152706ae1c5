using System;
using System.IO;
using System.Linq;
using ConvGen;
using ConvGen.Data;
using ConvGen.Runtime.Tests.Fakes;

namespace ConvGen.Runtime.Tests.Data
{
    public class MnistTests
    {
        private static readonly string Folder = RepositoryPaths.Combine("data", "mnist");

        [Theory]
        [InlineData("train", 8000)]
        [InlineData("test", 2000)]
        public void The_shipped_digits_load_with_balanced_classes(string split, int count)
        {
            var data = Mnist.Load(Folder, split);
            Assert.Equal(count, data.Count);
            Assert.Equal((1, 28, 28), (data.Channels, data.Height, data.Width));
            var perClass = new int[10];
            foreach (var label in data.Labels)
            {
                Assert.InRange(label, 0, 9);
                perClass[label]++;
            }

            Assert.All(perClass, n => Assert.InRange(n, count * 0.08, count * 0.12));
            var pixels = data.Images.ToArray();
            Assert.Equal(0f, pixels.Min());
            Assert.Equal(1f, pixels.Max());
            Assert.InRange(pixels.Average(), 0.1, 0.17); // MNIST's mean intensity is about 0.13
        }

        [Fact]
        public void A_linear_classifier_learns_the_shipped_digits()
        {
            var train = Mnist.Load(Folder, "train");
            var test = Mnist.Load(Folder, "test");
            var network = new LinearClassifier(inputs: 28 * 28, classes: 10);
            var options = new TrainerOptions { Epochs = 1, BatchSize = 32, Seed = 1, MeasureTrainingAccuracy = false };
            Trainer.Fit(network, train, options, new Sgd(0.1f, momentum: 0.9f));
            var (accuracy, loss, confusion) = Trainer.Evaluate(network, test, batchSize: 256);
            Assert.True(accuracy > 0.8f, $"test accuracy {accuracy}");
            Assert.InRange(loss, 0.05f, 0.8f); // ln 10 = 2.3 before training
            Assert.Equal(2000, confusion.Cast<int>().Sum());
        }

        [Fact]
        public void Original_file_names_are_found()
        {
            using var folder = new TemporaryFolder();
            File.Copy(Path.Combine(Folder, "test-images-idx3-ubyte.gz"), folder.File("t10k-images-idx3-ubyte.gz"));
            File.Copy(Path.Combine(Folder, "test-labels-idx1-ubyte.gz"), folder.File("t10k-labels-idx1-ubyte.gz"));
            Assert.Equal(2000, Mnist.Load(folder.Path, "test").Count);
        }

        [Fact]
        public void Missing_files_list_the_names_tried()
        {
            using var folder = new TemporaryFolder();
            var exception = Assert.Throws<FileNotFoundException>(() => Mnist.Load(folder.Path, "test"));
            Assert.Contains("test-images-idx3-ubyte.gz", exception.Message);
            Assert.Contains("t10k-images-idx3-ubyte", exception.Message);
            Assert.Throws<ArgumentException>(() => Mnist.Load(folder.Path, "validation"));
        }

        [Fact]
        public void Bad_labels_and_mismatched_counts_are_rejected()
        {
            using var folder = new TemporaryFolder();
            IdxWriter.Write(folder.File("train-images-idx3-ubyte"), new IdxArray(new[] { 2, 2, 2 }, new byte[8]));
            IdxWriter.Write(folder.File("train-labels-idx1-ubyte"), new IdxArray(new[] { 2 }, new byte[] { 3, 10 }));
            var label = Assert.Throws<InvalidDataException>(() => Mnist.Load(folder.Path, "train"));
            Assert.Contains("sample 1 is 10", label.Message);

            IdxWriter.Write(folder.File("train-labels-idx1-ubyte"), new IdxArray(new[] { 3 }, new byte[] { 3, 1, 2 }));
            var count = Assert.Throws<InvalidDataException>(() => Mnist.Load(folder.Path, "train"));
            Assert.Contains("2 images", count.Message);
            Assert.Contains("3 labels", count.Message);
        }
    }
}
