using System.Linq;
using ConvGen.Generator.Analysis;
using ConvGen.Generator.Emit;

namespace ConvGen.Generator.Layers
{
    /// <summary>C# argument texts for the runtime <c>LayerDescription</c> records (<see cref="RuntimeLayer"/>).</summary>
    internal static class RuntimeText
    {
        public const string Namespace = "global::ConvGen.";

        public static string Bool(bool value) => value ? "true" : "false";

        public static string Activation(Activation activation) => Namespace + "Activation." + activation;

        /// <summary><c>new global::ConvGen.Padding2D(top, left, bottom, right)</c>: the padding as resolved.</summary>
        public static string Padding(Padding padding) =>
            "new " + Namespace + "Padding2D(" + string.Join(", ", new[] { padding.Top, padding.Left, padding.Bottom, padding.Right }.Select(p => Literals.Int(p))) + ")";
    }
}
