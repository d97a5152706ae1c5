using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace ConvGen.Generator.Emit
{
    /// <summary>
    /// Hands out C# identifiers for generated members: derived from layer names, made valid, never a keyword,
    /// never one already given out or reserved by the generated class's public surface.
    /// </summary>
    internal sealed class ReservedNames
    {
        private static readonly string[] PublicMembers =
        {
            "InputChannels", "InputHeight", "InputWidth", "InputLength", "OutputLength", "ParameterCount", "BufferLength",
            "Summary", "Parameters", "Buffers", "ParameterValues", "ParameterGradients", "Training", "Threads",
            "Forward", "Backward", "ZeroGradients", "TrainStep",
        };

        private readonly HashSet<string> _used = new(PublicMembers, System.StringComparer.Ordinal);

        /// <summary>"conv1" → "Conv1"; "my-layer" → "My_layer"; a repeat gets a numeric suffix.</summary>
        public string Pascal(string name)
        {
            var builder = new StringBuilder(name.Length + 1);
            foreach (var c in name)
            {
                builder.Append(SyntaxFacts.IsIdentifierPartCharacter(c) ? c : '_');
            }

            if (builder.Length == 0 || !SyntaxFacts.IsIdentifierStartCharacter(builder[0]))
            {
                builder.Insert(0, 'L');
            }

            builder[0] = char.ToUpperInvariant(builder[0]);
            return Claim(builder.ToString());
        }

        private string Claim(string candidate)
        {
            var result = candidate;
            for (var i = 2; !_used.Add(result) || SyntaxFacts.GetKeywordKind(result) != SyntaxKind.None; i++)
            {
                result = candidate + "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return result;
        }
    }
}
