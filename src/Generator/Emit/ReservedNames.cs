using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace ConvGen.Generator.Emit
{
    /// <summary>
    /// The one scope every generated member name is claimed from: the class name, the generated public surface and
    /// infrastructure, and each layer's methods, fields and constants. A name is compared as the compiler compares
    /// identifiers (format characters dropped, Unicode normalization form C), so two claims never become one identifier.
    /// </summary>
    internal sealed class ReservedNames
    {
        /// <summary>Stems longer than this are cut, so that every member built from them stays a legal identifier.</summary>
        private const int MaxStem = 120;

        private static readonly string[] Generated =
        {
            // public surface (INetwork and the constants)
            "InputChannels", "InputHeight", "InputWidth", "InputLength", "OutputLength", "ParameterCount", "BufferLength",
            "Summary", "Parameters", "Buffers", "ParameterValues", "ParameterGradients", "EndsWithSoftmax", "Training", "Threads",
            "Forward", "Backward", "ZeroGradients", "TrainStep", "Description", "PackWeights", "Profile",

            // private members of the storage and the schedule (the rest of the infrastructure is the runtime's NetworkRunner)
            "Grow", "RunForward", "RunBackward", "CopyInputGradient", "RunStep", "Schedule", "StepDescriptions",
            "_parameters", "_gradients", "_buffers", "_parameterList", "_bufferList", "_runner", "_writes", "_scratch", "_seed", "_input",
            "_batch", "_workers", "_gemmThreads", "_needInputGradient", "_training", "_pass",
        };

        private static readonly HashSet<string> FixedMembers = new(Generated, System.StringComparer.Ordinal);

        private readonly HashSet<string> _used = new(System.StringComparer.Ordinal);

        /// <summary>True for a member every generated class declares (public surface and infrastructure): no class may take its name.</summary>
        public static bool IsFixedMember(string name) => FixedMembers.Contains(name);

        public ReservedNames(string className)
        {
            _used.Add(Normalize(className));
            foreach (var name in Generated)
            {
                _used.Add(name);
            }
        }

        /// <summary>
        /// A PascalCase identifier stem for a layer name: "conv1" → "Conv1", "layer2.0.conv1" → "Layer2_0_conv1".
        /// Only a stem: the members built from it are claimed one by one with <see cref="Claim"/>.
        /// </summary>
        public static string Stem(string name)
        {
            var builder = new StringBuilder(name.Length + 1);
            foreach (var c in Normalize(name))
            {
                builder.Append(SyntaxFacts.IsIdentifierPartCharacter(c) ? c : '_');
            }

            if (builder.Length == 0 || !SyntaxFacts.IsIdentifierStartCharacter(builder[0]))
            {
                builder.Insert(0, 'L');
            }

            if (builder.Length > MaxStem)
            {
                builder.Length = MaxStem;
            }

            builder[0] = char.ToUpperInvariant(builder[0]);
            return builder.ToString();
        }

        /// <summary>Claims <paramref name="candidate"/>, or the first free <c>candidate_2</c>, <c>candidate_3</c>, ….</summary>
        public string Claim(string candidate) => Claim(candidate, string.Empty);

        /// <summary>
        /// Claims a step method's name together with its dispatcher constant (<c>name + "Step"</c>): both free, or the
        /// first numbered variant for which both are.
        /// </summary>
        public string ClaimStep(string candidate) => Claim(candidate, "Step");

        private string Claim(string candidate, string companion)
        {
            candidate = Normalize(candidate);
            var result = candidate;
            for (var i = 2; !IsFree(result) || (companion.Length > 0 && !IsFree(result + companion)); i++)
            {
                result = candidate + "_" + i.ToString(CultureInfo.InvariantCulture);
            }

            _used.Add(result);
            if (companion.Length > 0)
            {
                _used.Add(result + companion);
            }

            return result;
        }

        private bool IsFree(string name) =>
            !_used.Contains(name) && SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None && SyntaxFacts.GetContextualKeywordKind(name) == SyntaxKind.None;

        /// <summary>What the compiler compares: form C, without format characters (which identifiers ignore).</summary>
        private static string Normalize(string name)
        {
            var builder = new StringBuilder(name.Length);
            foreach (var c in name.Normalize(NormalizationForm.FormC))
            {
                if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format)
                {
                    builder.Append(c);
                }
            }

            return builder.ToString();
        }
    }
}
