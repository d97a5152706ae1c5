using System;

namespace ConvGen
{
    /// <summary>Marks a partial class as a ConvGen network and gives its input shape (channels, height, width).</summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
    public sealed class InputAttribute : Attribute
    {
        /// <summary>Declares the input shape.</summary>
        public InputAttribute(int channels, int height, int width)
        {
            Channels = channels;
            Height = height;
            Width = width;
        }

        /// <summary>Input channels.</summary>
        public int Channels { get; }
        /// <summary>Input height.</summary>
        public int Height { get; }
        /// <summary>Input width.</summary>
        public int Width { get; }

        /// <summary>When set (non-zero), the build fails unless the network has exactly this many trainable parameters.</summary>
        public int ExpectedParameters { get; set; }
    }
}
