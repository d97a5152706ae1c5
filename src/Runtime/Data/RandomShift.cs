using System;
using ConvGen.Kernels;

namespace ConvGen.Data
{
    /// <summary>
    /// Moves each image by a random whole number of pixels, up to <see cref="MaxShift"/> in each direction, filling the uncovered
    /// border with zeros (the "random translation" augmentation). The shift of a sample in an epoch is a hash of
    /// (<see cref="Seed"/>, epoch, sample index), so equal seeds give equal images whatever the batch size, order or thread count.
    /// </summary>
    public sealed class RandomShift : IAugmentation
    {
        /// <summary>Shifts of up to <paramref name="maxShift"/> pixels vertically and horizontally, drawn from <paramref name="seed"/>.</summary>
        public RandomShift(int maxShift, int seed)
        {
            if (maxShift < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(maxShift), maxShift, "The largest shift must not be negative.");
            }

            MaxShift = maxShift;
            Seed = seed;
        }

        /// <summary>The largest shift, in pixels, along each axis.</summary>
        public int MaxShift { get; }

        /// <summary>Seeds the shifts.</summary>
        public int Seed { get; }

        /// <summary>
        /// The shift of sample <paramref name="sample"/> in epoch <paramref name="epoch"/>: rows down (<c>Dy</c>) and columns right
        /// (<c>Dx</c>), each uniform over −<see cref="MaxShift"/> … <see cref="MaxShift"/> and independent of the other.
        /// </summary>
        public (int Dy, int Dx) ShiftOf(int epoch, int sample)
        {
            var hash = CounterRandom.Hash((ulong)Seed, (ulong)epoch, (ulong)sample);
            var choices = (ulong)(2 * MaxShift + 1);

            // Multiply-shift maps 32 uniform bits onto 0 … choices − 1.
            var dy = (int)(((hash >> 32) * choices) >> 32) - MaxShift;
            var dx = (int)(((hash & uint.MaxValue) * choices) >> 32) - MaxShift;
            return (dy, dx);
        }

        /// <inheritdoc/>
        public void Apply(Span<float> images, int channels, int height, int width, ReadOnlySpan<int> samples, int epoch)
        {
            var imageLength = ImageLength(channels, height, width);
            if (images.Length != (long)samples.Length * imageLength)
            {
                throw new ArgumentException(
                    $"{samples.Length} images of {channels}×{height}×{width} need {(long)samples.Length * imageLength} floats, but the batch holds {images.Length}.",
                    nameof(images));
            }

            for (var i = 0; i < samples.Length; i++)
            {
                var (dy, dx) = ShiftOf(epoch, samples[i]);
                Shift(images.Slice(i * imageLength, imageLength), channels, height, width, dy, dx);
            }
        }

        /// <summary>
        /// Moves one image (<paramref name="channels"/>×<paramref name="height"/>×<paramref name="width"/>, in place) down by
        /// <paramref name="dy"/> rows and right by <paramref name="dx"/> columns (negative: up, left): afterwards pixel (y, x) holds
        /// what was at (y − dy, x − dx), or zero where that lies outside the image.
        /// </summary>
        public static void Shift(Span<float> image, int channels, int height, int width, int dy, int dx)
        {
            var planeLength = ImageLength(channels, height, width) / channels;
            if (image.Length != channels * planeLength)
            {
                throw new ArgumentException($"A {channels}×{height}×{width} image has {channels * planeLength} floats, not {image.Length}.", nameof(image));
            }

            if (dy == 0 && dx == 0)
            {
                return;
            }

            // The part of each row that receives pixels: columns max(dx, 0) … min(width + dx, width) − 1.
            var firstColumn = Math.Clamp(dx, 0, width);
            var columns = Math.Max(0, width - Math.Abs(dx));
            for (var c = 0; c < channels; c++)
            {
                var plane = image.Slice(c * planeLength, planeLength);

                // Visit rows so that every source row is read before it is overwritten: bottom-up when moving down.
                for (var step = 0; step < height; step++)
                {
                    var y = dy > 0 ? height - 1 - step : step;
                    var row = plane.Slice(y * width, width);
                    var sourceY = y - dy;
                    if (sourceY < 0 || sourceY >= height || columns == 0)
                    {
                        row.Clear();
                        continue;
                    }

                    // Span.CopyTo is safe for overlapping ranges, which happen when dy is 0.
                    plane.Slice(sourceY * width + firstColumn - dx, columns).CopyTo(row.Slice(firstColumn, columns));
                    row[..firstColumn].Clear();
                    row[(firstColumn + columns)..].Clear();
                }
            }
        }

        private static int ImageLength(int channels, int height, int width)
        {
            if (channels <= 0 || height <= 0 || width <= 0)
            {
                throw new ArgumentException($"Image dimensions must be positive (got {channels}×{height}×{width}).");
            }

            return checked(channels * height * width);
        }
    }
}
