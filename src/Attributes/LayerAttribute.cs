using System;

namespace ConvGen
{
    /// <summary>Base class of every layer attribute. Layers are the network class's attributes in source order.</summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
    public abstract class LayerAttribute : Attribute
    {
        /// <summary>The layer's name, used for parameter names (<c>conv1.weight</c>). Default: kind + ordinal per kind.</summary>
        public string? Name { get; set; }

        /// <summary>The output shape this layer must have, as <c>"CxHxW"</c> or a single number for flat layers; the build fails when it differs.</summary>
        public string? Expect { get; set; }

        /// <summary>The earlier layer this one reads instead of the previous one; <c>"input"</c> names the network input.</summary>
        public string? From { get; set; }
    }
}
