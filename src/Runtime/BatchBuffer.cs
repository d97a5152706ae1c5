using System;

namespace ConvGen
{
    /// <summary>Sizes of per-batch buffers, checked before anything is allocated or changed.</summary>
    public static class BatchBuffer
    {
        /// <summary>The most floats one array holds.</summary>
        public static int MaxLength => Array.MaxLength;

        /// <summary><paramref name="batchSize"/> × <paramref name="perSample"/>, the length of a buffer holding the whole batch.</summary>
        /// <exception cref="ArgumentOutOfRangeException">That is more than an array holds; the message says how large a batch fits.</exception>
        public static int Length(int batchSize, int perSample)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
            ArgumentOutOfRangeException.ThrowIfLessThan(perSample, 1);
            var length = (long)batchSize * perSample;
            if (length > Array.MaxLength)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(batchSize), batchSize,
                    $"A batch of {batchSize} samples needs {length:N0} floats in a buffer of {perSample:N0} per sample, more than an array holds ({Array.MaxLength:N0}); "
                    + $"use batches of at most {Array.MaxLength / perSample:N0} samples.");
            }

            return (int)length;
        }
    }
}
