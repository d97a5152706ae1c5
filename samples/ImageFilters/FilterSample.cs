using System;
using System.IO;
using System.Text;
using ConvGen.Data;

namespace ConvGen.Samples.Filters
{
    /// <summary>Applies <see cref="FilterBank"/> to one MNIST test digit and writes the picture.</summary>
    public static class FilterSample
    {
        /// <summary>Filters test digit <paramref name="digitIndex"/> from <paramref name="dataFolder"/> and writes the page to <paramref name="outputPath"/>.</summary>
        public static void Run(string dataFolder, int digitIndex, string outputPath)
        {
            var test = Mnist.Load(dataFolder, "test");
            if ((uint)digitIndex >= (uint)test.Count)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(digitIndex), $"The test set has {test.Count} digits, numbered 0 to {test.Count - 1}; there is no digit {digitIndex}.");
            }

            var digit = test.Image(digitIndex);
            var filtered = new float[FilterBank.OutputLength];
            FilterBank.WithClassicKernels().Forward(digit, filtered);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
            File.WriteAllText(outputPath, FilterPicture.Render(digit, test.Label(digitIndex), filtered), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }
    }
}
