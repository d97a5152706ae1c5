using System;
using System.Collections.Generic;
using System.Linq;

namespace ConvGen.Onnx
{
    /// <summary>A node ConvGen cannot express: its op type, its name in the file and why.</summary>
    public sealed record UnsupportedNode(string OpType, string NodeName, string Reason)
    {
        /// <summary>"Resize 'up1': ConvGen has no such layer".</summary>
        public override string ToString() => $"{OpType} '{NodeName}': {Reason}";
    }

    /// <summary>An ONNX model that cannot become a ConvGen network; <see cref="Nodes"/> lists every node at fault (possibly none, for whole-model problems).</summary>
    public sealed class OnnxImportException : Exception
    {
        /// <summary>A problem with the model as a whole (its input, output or a tensor).</summary>
        public OnnxImportException(string message)
            : base(message)
        {
            Nodes = Array.Empty<UnsupportedNode>();
        }

        /// <summary>One or more nodes ConvGen cannot express.</summary>
        public OnnxImportException(string source, IReadOnlyList<UnsupportedNode> nodes)
            : base($"'{source}' cannot be imported: {nodes.Count} node{(nodes.Count == 1 ? "" : "s")} ConvGen cannot express (nothing was written):"
                + Environment.NewLine + string.Join(Environment.NewLine, nodes.Select(n => "  - " + n)))
        {
            Nodes = nodes;
        }

        /// <summary>The unsupported nodes, in graph order.</summary>
        public IReadOnlyList<UnsupportedNode> Nodes { get; }
    }
}
