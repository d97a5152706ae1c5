using System;

namespace ConvGen.Data
{
    /// <summary>
    /// A random change applied to training images batch by batch (<see cref="TrainerOptions.Augmentation"/>). Implementations draw
    /// each image's change from the pair (epoch, sample index) alone, so a run does not depend on the batch size, the shuffle order
    /// or the thread count.
    /// </summary>
    public interface IAugmentation
    {
        /// <summary>
        /// Transforms, in place, the <paramref name="samples"/>.Length images of <paramref name="images"/>, each
        /// <paramref name="channels"/>×<paramref name="height"/>×<paramref name="width"/> floats (NCHW, one after another).
        /// Image i is sample <paramref name="samples"/>[i] of the training set, seen in epoch <paramref name="epoch"/> (counting from 0).
        /// </summary>
        void Apply(Span<float> images, int channels, int height, int width, ReadOnlySpan<int> samples, int epoch);
    }
}
