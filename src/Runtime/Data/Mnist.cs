using System;
using System.Collections.Generic;
using System.IO;

namespace ConvGen.Data
{
    /// <summary>Loads MNIST-style digit sets stored as IDX files (plain or gzip).</summary>
    public static class Mnist
    {
        /// <summary>The number of digit classes.</summary>
        public const int Classes = 10;

        /// <summary>
        /// Loads the <paramref name="split"/> ("train" or "test") from <paramref name="folder"/>: images scaled to [0, 1] (byte / 255) as
        /// 1×H×W samples, and their labels. Looks for <c>{split}-images-idx3-ubyte</c> and <c>{split}-labels-idx1-ubyte</c>, with or
        /// without <c>.gz</c>, and also the original distribution's names (<c>t10k-…</c> for the test split, and the
        /// <c>…-images.idx3-ubyte</c> spelling), so the folder may hold the full 60,000/10,000 MNIST.
        /// </summary>
        /// <exception cref="FileNotFoundException">No candidate file exists; the message lists the names tried.</exception>
        /// <exception cref="InvalidDataException">A file is malformed, the counts differ, or a label is outside 0..9.</exception>
        public static Dataset Load(string folder, string split)
        {
            ArgumentNullException.ThrowIfNull(folder);
            ArgumentNullException.ThrowIfNull(split);
            if (split is not ("train" or "test"))
            {
                throw new ArgumentException($"The split must be \"train\" or \"test\", not \"{split}\".", nameof(split));
            }

            var prefixes = split == "train" ? new[] { "train" } : new[] { "test", "t10k" };
            var imagesPath = Find(folder, prefixes, "images", 3);
            var labelsPath = Find(folder, prefixes, "labels", 1);
            var images = IdxReader.Read(imagesPath);
            var labels = IdxReader.Read(labelsPath);
            if (images.Rank != 3)
            {
                throw new InvalidDataException(
                    $"MNIST images file '{imagesPath}' has dimensions [{string.Join(", ", images.Dimensions)}]; expected three (count, height, width).");
            }

            if (labels.Rank != 1)
            {
                throw new InvalidDataException(
                    $"MNIST labels file '{labelsPath}' has dimensions [{string.Join(", ", labels.Dimensions)}]; expected one (count).");
            }

            var count = images.Dimension(0);
            if (labels.Dimension(0) != count)
            {
                throw new InvalidDataException(
                    $"MNIST images file '{imagesPath}' holds {count} images but labels file '{labelsPath}' holds {labels.Dimension(0)} labels.");
            }

            var labelValues = new int[count];
            var labelBytes = labels.Data;
            for (var i = 0; i < count; i++)
            {
                if (labelBytes[i] >= Classes)
                {
                    throw new InvalidDataException($"MNIST labels file '{labelsPath}': the label of sample {i} is {labelBytes[i]}, outside 0..9.");
                }

                labelValues[i] = labelBytes[i];
            }

            var pixelBytes = images.Data;
            var pixels = new float[pixelBytes.Length];
            for (var i = 0; i < pixels.Length; i++)
            {
                pixels[i] = pixelBytes[i] / 255f;
            }

            return new Dataset(pixels, labelValues, 1, images.Dimension(1), images.Dimension(2));
        }

        private static string Find(string folder, string[] prefixes, string kind, int rank)
        {
            var tried = new List<string>();
            foreach (var prefix in prefixes)
            {
                foreach (var name in new[] { $"{prefix}-{kind}-idx{rank}-ubyte", $"{prefix}-{kind}-idx{rank}-ubyte.gz", $"{prefix}-{kind}.idx{rank}-ubyte" })
                {
                    var path = Path.Combine(folder, name);
                    if (File.Exists(path))
                    {
                        return path;
                    }

                    tried.Add(name);
                }
            }

            throw new FileNotFoundException($"No MNIST {kind} file in '{folder}'; tried {string.Join(", ", tried)}.");
        }
    }
}
