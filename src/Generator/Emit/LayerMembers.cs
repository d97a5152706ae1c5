using System.Collections.Generic;

namespace ConvGen.Generator.Emit
{
    /// <summary>The member-name suffixes one layer's emitter uses, reserved before any code is written.</summary>
    internal sealed class LayerMembers
    {
        /// <summary>Step methods (each also gets a dispatcher constant, its name + "Step").</summary>
        public List<string> Steps { get; } = new();

        /// <summary>Other methods and constants.</summary>
        public List<string> Others { get; } = new();

        /// <summary>Fields (claimed as <c>_stem</c> + suffix, first letter lower case).</summary>
        public List<string> Fields { get; } = new();
    }
}
