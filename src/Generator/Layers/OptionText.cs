using ConvGen.Generator.Analysis;
using ConvGen.Generator.Emit;

namespace ConvGen.Generator.Layers
{
    /// <summary>How option values read in <see cref="LayerOptions"/>: sizes as "5×5", numbers culture-invariant.</summary>
    internal static class OptionText
    {
        public static string Int(long value) => Literals.Int(value);

        /// <summary>"0.01": a float as it round-trips, without the C# suffix.</summary>
        public static string Float(float value) => Literals.Float(value).TrimEnd('f');

        /// <summary>"5×5": a window's height and width.</summary>
        public static string Pair(int height, int width) => Int(height) + "×" + Int(width);

        /// <summary>The stride: "stride 2" / "/2" when both axes agree, else "stride 2×1" / "/2×1".</summary>
        public static void Stride(LayerOptions options, int height, int width)
        {
            var text = height == width ? Int(height) : Pair(height, width);
            options.Add("stride " + text, "/" + text);
        }

        /// <summary>"pad 2", or "pad top/bottom/left/right 0/1/0/1" when the sides differ (Same padding).</summary>
        public static string Pad(Padding padding) => padding.IsSymmetric
            ? "pad " + Int(padding.Top)
            : "pad top/bottom/left/right " + string.Join("/", Int(padding.Top), Int(padding.Bottom), Int(padding.Left), Int(padding.Right));

        /// <summary>"no bias" / "no-bias" when there is none, then the fused activation when there is one.</summary>
        public static void BiasAndActivation(LayerOptions options, bool bias, Activation activation)
        {
            if (!bias)
            {
                options.Add("no bias", "no-bias");
            }

            Activation(options, activation);
        }

        /// <summary>The fused activation ("ReLU"), unless none.</summary>
        public static void Activation(LayerOptions options, Activation activation)
        {
            if (activation != ConvGen.Activation.None)
            {
                options.Add(activation.ToString());
            }
        }
    }
}
