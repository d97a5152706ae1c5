using System.Collections.Generic;

namespace ConvGen.Generator.Layers
{
    /// <summary>
    /// The runtime record a layer becomes in the generated <c>Description</c>: its type (<c>ConvDescription</c>) and its
    /// options as C# argument texts, written as named arguments after the name, inputs and output shape.
    /// </summary>
    internal sealed class RuntimeLayer
    {
        public RuntimeLayer(string type, params (string Name, string Value)[] options)
        {
            Type = type;
            Options = options;
        }

        /// <summary>The record's type name in the <c>ConvGen</c> namespace.</summary>
        public string Type { get; }

        public IReadOnlyList<(string Name, string Value)> Options { get; }
    }
}
