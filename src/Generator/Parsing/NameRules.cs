using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using ConvGen.Generator.Diagnostics;
using ConvGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConvGen.Generator.Parsing
{
    /// <summary>
    /// What a network's names must be for its generated code to compile. A layer name is letters, digits, <c>_</c> and
    /// <c>.</c> (dots separate PyTorch module paths), starts with a letter or <c>_</c>, has no empty part between dots
    /// and is at most <see cref="MaxLength"/> characters (CG0041). Generated identifiers come from layer names with the
    /// first letter's case changed and dots made underscores, and C# compares identifiers after Unicode normalization
    /// (form C), so two names equal under those rules are one identifier (CG0042). The class must be able to hold the
    /// generated members (CG0043), be an instance class (CG0044) and have a layer that computes something (CG0045).
    /// </summary>
    internal static class NameRules
    {
        public const int MaxLength = 200;

        /// <summary>Reports the class names and kinds that cannot hold a generated network.</summary>
        public static void CheckClass(INamedTypeSymbol type, ClassDeclarationSyntax declaration, List<DiagnosticInfo> diagnostics)
        {
            var location = declaration.Identifier.GetLocation();
            var name = type.Name;
            string? reason = null;
            if (ConvGen.Generator.Emit.ReservedNames.IsFixedMember(name))
            {
                reason = "the generated code declares a member named '" + name + "', and a member cannot have its class's name";
            }
            else if (SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None)
            {
                reason = "'" + name + "' is a C# keyword (written '@" + name + "'), and the generated code names the class without the '@'";
            }
            else if (name == "var")
            {
                reason = "the generated code declares its locals with 'var', which would then mean this class";
            }
            else if (type.ContainingNamespace.IsGlobalNamespace && name is "System" or "ConvGen")
            {
                reason = "in the global namespace it hides the namespace '" + name + "' the generated code uses";
            }

            if (reason is not null)
            {
                diagnostics.Add(NetworkParser.Create(DiagnosticCatalog.ClassNameReserved, location, name, reason));
            }

            if (type.IsStatic)
            {
                diagnostics.Add(NetworkParser.Create(DiagnosticCatalog.ClassStatic, location, name));
            }
        }

        /// <summary>A network with no layers or only [Flatten] (CG0045): no step to run, which leaves the generated dispatcher empty.</summary>
        public static bool ComputesNothing(IReadOnlyList<LayerModel> layers) => layers.All(layer => layer is FlattenLayer);

        /// <summary>Reports invalid layer names and names that become one identifier.</summary>
        public static void CheckLayers(IReadOnlyList<LayerModel> layers, IReadOnlyList<AttributeSyntax> syntax, List<DiagnosticInfo> diagnostics)
        {
            var byKey = new Dictionary<string, string>(System.StringComparer.Ordinal);
            for (var i = 0; i < layers.Count; i++)
            {
                var name = layers[i].Name;
                var problem = Problem(name);
                if (problem is not null)
                {
                    diagnostics.Add(NetworkParser.Create(DiagnosticCatalog.InvalidLayerName, NameLocation(syntax[i]), Display(name), problem));
                    continue;
                }

                var key = Key(name);
                if (byKey.TryGetValue(key, out var other) && other != name)
                {
                    diagnostics.Add(NetworkParser.Create(DiagnosticCatalog.LayerNamesCollide, NameLocation(syntax[i]), Display(name), Display(other), Display(key)));
                    continue;
                }

                byKey[key] = name;
            }
        }

        /// <summary>Why <paramref name="name"/> is not a valid layer name, or null when it is.</summary>
        public static string? Problem(string name)
        {
            if (name.Length == 0)
            {
                return "it is empty";
            }

            if (name.Length > MaxLength)
            {
                return "it has " + name.Length.ToString("N0", CultureInfo.InvariantCulture) + " characters, more than " + MaxLength.ToString(CultureInfo.InvariantCulture);
            }

            if (!char.IsLetter(name[0]) && name[0] != '_')
            {
                return "it starts with " + Describe(name[0]) + ", not a letter or '_'";
            }

            for (var i = 0; i < name.Length; i++)
            {
                var c = name[i];
                if (c == '.' && (i == name.Length - 1 || name[i + 1] == '.'))
                {
                    return "a '.' must be followed by a letter, digit or '_'";
                }

                if (!char.IsLetterOrDigit(c) && c != '_' && c != '.')
                {
                    return "it contains " + Describe(c) + " at index " + i.ToString(CultureInfo.InvariantCulture);
                }
            }

            return null;
        }

        /// <summary>A name as diagnostics show it: invisible and line-breaking characters as <c>\uXXXX</c>, long names shortened.</summary>
        public static string Display(string name)
        {
            const int Shown = 60;
            var builder = new StringBuilder();
            for (var i = 0; i < name.Length && i < Shown; i++)
            {
                builder.Append(IsVisible(name[i]) ? name[i].ToString() : Escape(name[i]));
            }

            if (name.Length > Shown)
            {
                builder.Append("… (" + name.Length.ToString("N0", CultureInfo.InvariantCulture) + " characters)");
            }

            return builder.ToString();
        }

        /// <summary>
        /// The identifier the emitter derives from a valid name, with the first letter's case folded: the emitter
        /// upper-cases it for methods and lower-cases it for fields, using whatever casing tables the compiler runs
        /// with, so every letter either mapping could reach (including the Turkish dotted and dotless i) counts as one.
        /// </summary>
        private static string Key(string name)
        {
            var normalized = name.Normalize(NormalizationForm.FormC).Replace('.', '_');
            return FoldCase(normalized[0]) + normalized.Substring(1);
        }

        private static char FoldCase(char c)
        {
            if (c is '\u0130' or '\u0131')
            {
                return 'I';
            }

            var folded = c;
            foreach (var candidate in new[] { char.ToUpperInvariant(c), char.ToLowerInvariant(c), char.ToUpperInvariant(char.ToLowerInvariant(c)), char.ToLowerInvariant(char.ToUpperInvariant(c)) })
            {
                if (candidate < folded)
                {
                    folded = candidate;
                }
            }

            return folded;
        }

        private static Location NameLocation(AttributeSyntax syntax)
        {
            if (syntax.ArgumentList is { } list)
            {
                foreach (var argument in list.Arguments)
                {
                    if (argument.NameEquals?.Name.Identifier.ValueText == "Name")
                    {
                        return argument.GetLocation();
                    }
                }
            }

            return syntax.GetLocation();
        }

        private static bool IsVisible(char c) =>
            c == ' '
            || (!char.IsControl(c) && !char.IsSurrogate(c) && !char.IsWhiteSpace(c)
                && CharUnicodeInfo.GetUnicodeCategory(c) is not (UnicodeCategory.Format or UnicodeCategory.NonSpacingMark
                    or UnicodeCategory.EnclosingMark or UnicodeCategory.OtherNotAssigned));

        private static string Describe(char c) => IsVisible(c) ? "'" + c + "'" : "'" + Escape(c) + "'";

        private static string Escape(char c) => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);
    }
}
