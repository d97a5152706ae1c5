using System;

namespace ConvGen.Data
{
    /// <summary>Labelled images held in memory: <see cref="Count"/> samples of <see cref="Channels"/>×<see cref="Height"/>×<see cref="Width"/> floats (NCHW), one class label each.</summary>
    public sealed class Dataset
    {
        private readonly float[] _images;
        private readonly int[] _labels;

        /// <summary>Wraps (without copying) <paramref name="images"/> (N×C×H×W) and <paramref name="labels"/> (N).</summary>
        public Dataset(float[] images, int[] labels, int channels, int height, int width)
        {
            ArgumentNullException.ThrowIfNull(images);
            ArgumentNullException.ThrowIfNull(labels);
            if (channels <= 0 || height <= 0 || width <= 0)
            {
                throw new ArgumentException($"Image dimensions must be positive (got {channels}×{height}×{width}).");
            }

            var sampleLength = (long)channels * height * width;
            if ((long)labels.Length * sampleLength != images.Length)
            {
                throw new ArgumentException(
                    $"{labels.Length} labels of {channels}×{height}×{width} images need {(long)labels.Length * sampleLength} floats, but the image array holds {images.Length}.",
                    nameof(images));
            }

            _images = images;
            _labels = labels;
            Channels = channels;
            Height = height;
            Width = width;
            SampleLength = (int)sampleLength;
        }

        /// <summary>The number of samples.</summary>
        public int Count => _labels.Length;

        /// <summary>Channels per image.</summary>
        public int Channels { get; }

        /// <summary>Image height in pixels.</summary>
        public int Height { get; }

        /// <summary>Image width in pixels.</summary>
        public int Width { get; }

        /// <summary>Floats per image (C·H·W).</summary>
        public int SampleLength { get; }

        /// <summary>All images, one after another.</summary>
        public ReadOnlySpan<float> Images => _images;

        /// <summary>All labels, in sample order.</summary>
        public ReadOnlySpan<int> Labels => _labels;

        /// <summary>The image of sample <paramref name="index"/>.</summary>
        public ReadOnlySpan<float> Image(int index) => _images.AsSpan(CheckIndex(index) * SampleLength, SampleLength);

        /// <summary>The label of sample <paramref name="index"/>.</summary>
        public int Label(int index) => _labels[CheckIndex(index)];

        /// <summary>A copy of the samples <paramref name="start"/> .. <paramref name="start"/> + <paramref name="count"/> − 1.</summary>
        public Dataset Subset(int start, int count)
        {
            if (start < 0 || count < 0 || start > Count - count)
            {
                throw new ArgumentOutOfRangeException(nameof(count), $"Samples {start}..{start + count - 1} are not all within the {Count} samples.");
            }

            return new Dataset(
                _images.AsSpan(start * SampleLength, count * SampleLength).ToArray(),
                _labels.AsSpan(start, count).ToArray(),
                Channels, Height, Width);
        }

        /// <summary>A copy of the samples at <paramref name="indices"/>, in that order (repeats allowed).</summary>
        public Dataset Subset(ReadOnlySpan<int> indices)
        {
            var images = new float[checked(indices.Length * SampleLength)];
            var labels = new int[indices.Length];
            for (var i = 0; i < indices.Length; i++)
            {
                Image(indices[i]).CopyTo(images.AsSpan(i * SampleLength, SampleLength));
                labels[i] = _labels[indices[i]];
            }

            return new Dataset(images, labels, Channels, Height, Width);
        }

        private int CheckIndex(int index)
        {
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, $"The dataset has {Count} samples.");
            }

            return index;
        }
    }
}
