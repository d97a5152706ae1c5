using ConvGen.Generator.Model;

namespace ConvGen.Generator.Analysis
{
    /// <summary>What shape inference derives for one layer.</summary>
    /// <param name="In">The shape the layer reads.</param>
    /// <param name="Out">The shape the layer writes.</param>
    /// <param name="Padding">Zero padding on each side (conv and pooling; zeros otherwise).</param>
    /// <param name="Parameters">Trainable parameters (weights and biases; BatchNorm's running stats are buffers, not counted).</param>
    /// <param name="MultiplyAdds">Multiply-accumulates of one forward pass over one sample.</param>
    /// <param name="ReceptiveFieldHeight">Input rows one output pixel of this layer depends on.</param>
    /// <param name="ReceptiveFieldWidth">Input columns one output pixel of this layer depends on.</param>
    /// <param name="Jump">Distance in input pixels between neighbouring outputs of this layer (rows, columns).</param>
    internal sealed record LayerShape(
        Shape In,
        Shape Out,
        Padding Padding,
        long Parameters,
        long MultiplyAdds,
        int ReceptiveFieldHeight,
        int ReceptiveFieldWidth,
        int JumpHeight,
        int JumpWidth);

    /// <summary>Zero padding per side; Same padding may put one more row/column at the bottom/right.</summary>
    internal sealed record Padding(int Top, int Bottom, int Left, int Right)
    {
        public static readonly Padding None = new(0, 0, 0, 0);

        public bool IsZero => Top == 0 && Bottom == 0 && Left == 0 && Right == 0;

        public bool IsSymmetric => Top == Bottom && Left == Right && Top == Left;
    }
}
