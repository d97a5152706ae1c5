namespace ConvGen
{
    /// <summary>How a convolution pads its input when no explicit <c>Padding</c> is given.</summary>
    public enum PaddingMode
    {
        /// <summary>Use the explicit <c>Padding</c> value (0 unless set).</summary>
        Explicit = 0,
        /// <summary>No padding: the kernel only visits positions fully inside the input.</summary>
        Valid = 1,
        /// <summary>Keras/TensorFlow "same": output = ceil(input / stride); any odd extra padding goes to the bottom/right.</summary>
        Same = 2,
    }
}
