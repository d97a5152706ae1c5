using System;
using System.IO;
using ConvGen.Data;
using ConvGen.Samples.Classify;

namespace ConvGen.Samples.Tests
{
    public sealed class ClassifySampleTests
    {
        [Fact]
        public void Committed_weights_fit_the_declared_network_and_classify_the_held_out_digits()
        {
            // samples/Classify/digits.safetensors is copied beside the sample, and from there beside this test.
            var weights = Path.Combine(AppContext.BaseDirectory, "digits.safetensors");
            var test = Mnist.Load(MnistFolder.Find() ?? throw new InvalidOperationException("data/mnist not found"), "test");
            var untrained = new DigitClassifier(seed: 1) { Threads = 2 };
            var trained = new DigitClassifier(seed: 1) { Threads = 2 };
            trained.Load(weights);

            // The weights measured 97.55% when made (--train); an untrained network guesses (about 10%).
            var accuracy = Trainer.Evaluate(trained, test, batchSize: 100).Accuracy;
            var chance = Trainer.Evaluate(untrained, test, batchSize: 100).Accuracy;
            Assert.True(accuracy >= 0.97f, $"accuracy {accuracy:P2}");
            Assert.True(chance < 0.3f, $"untrained accuracy {chance:P2}");
        }
    }
}
