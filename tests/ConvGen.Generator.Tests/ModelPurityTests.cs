using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using ConvGen.Generator.Analysis;
using ConvGen.Generator.Diagnostics;
using ConvGen.Generator.Model;
using ConvGen.Generator.Parsing;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generator.Tests
{
    /// <summary>
    /// The pipeline's values must not hold compiler objects: a symbol, node or location in a cached value keeps a whole
    /// compilation alive and defeats caching. Walks every field reachable from the model types, through generic arguments.
    /// </summary>
    public class ModelPurityTests
    {
        private static readonly Type[] Forbidden =
        {
            typeof(Compilation), typeof(ISymbol), typeof(SyntaxNode), typeof(Location), typeof(SemanticModel),
            typeof(SyntaxTree), typeof(AttributeData), typeof(SyntaxToken),
        };

        public static IEnumerable<object[]> Roots()
        {
            var roots = new List<Type> { typeof(NetworkModel), typeof(NetworkAnalysis), typeof(ParseResult), typeof(DiagnosticInfo) };
            roots.AddRange(typeof(LayerModel).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(LayerModel))));
            return roots.Select(t => new object[] { t });
        }

        [Fact]
        public void AllLayerModelSubclassesAreCovered() =>
            Assert.True(Roots().Count() >= 4 + 9, "expected at least nine LayerModel subclasses");

        [Theory]
        [MemberData(nameof(Roots))]
        public void HoldsNoCompilerObjects(Type root)
        {
            var problems = new List<string>();
            Walk(root, root.Name, new HashSet<Type>(), problems);
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }

        [Theory]
        [MemberData(nameof(Roots))]
        public void HasValueEquality(Type root) =>
            Assert.Contains(typeof(IEquatable<>).MakeGenericType(root), root.GetInterfaces());

        private static void Walk(Type type, string path, HashSet<Type> seen, List<string> problems)
        {
            if (!seen.Add(type))
            {
                return;
            }

            if (Forbidden.Any(f => f.IsAssignableFrom(type)))
            {
                problems.Add(path + " is " + type.Name);
                return;
            }

            if (type == typeof(object) || (type.IsInterface && type.Assembly != typeof(LayerModel).Assembly && !type.IsGenericType))
            {
                problems.Add(path + " is an opaque " + type.Name + " that could hold anything");
                return;
            }

            if (type.IsArray)
            {
                Walk(type.GetElementType()!, path + "[]", seen, problems);
                return;
            }

            foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : Type.EmptyTypes)
            {
                Walk(argument, path + "<" + argument.Name + ">", seen, problems);
            }

            // Our own types and Roslyn's text value types: walk their fields. Framework types: only their generic arguments matter.
            if (type.Assembly == typeof(LayerModel).Assembly || type.Namespace == "Microsoft.CodeAnalysis.Text")
            {
                const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
                for (var current = type; current is not null && current != typeof(object) && current != typeof(ValueType); current = current.BaseType)
                {
                    foreach (var field in current.GetFields(Instance))
                    {
                        Walk(field.FieldType, path + "." + field.Name, seen, problems);
                    }
                }
            }
        }
    }
}
