using ConvGen.Data;

namespace ConvGen.Samples.Digits
{
    /// <summary>A network's predictions for every digit of a test set, with the accuracy and confusion matrix they give.</summary>
    public sealed class TestEvaluation
    {
        private TestEvaluation(int[] predictions, Dataset data)
        {
            Predictions = predictions;
            Confusion = new int[Mnist.Classes, Mnist.Classes];
            var correct = 0;
            for (var i = 0; i < predictions.Length; i++)
            {
                var label = data.Label(i);
                Confusion[label, predictions[i]]++;
                correct += label == predictions[i] ? 1 : 0;
            }

            Accuracy = (float)correct / predictions.Length;
        }

        /// <summary>The predicted class of every sample, in order.</summary>
        public int[] Predictions { get; }

        /// <summary>The fraction predicted correctly.</summary>
        public float Accuracy { get; }

        /// <summary>Counts indexed [true label, predicted class].</summary>
        public int[,] Confusion { get; }

        /// <summary>Classifies every sample of <paramref name="data"/> (arg max of the outputs) in inference mode.</summary>
        public static TestEvaluation Run(INetwork network, Dataset data, int batchSize) => new(network.Predict(data, batchSize), data);
    }
}
