using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConvGen.Generator.Tests
{
    /// <summary>
    /// Every emitted member name comes from one reservation scope: layer names that look like another layer's generated
    /// members (issue 9 and issue 11, item 2), dotted PyTorch module paths, and names that differ only where identifiers
    /// ignore the difference all generate code that compiles without warnings, with every member declared once.
    /// </summary>
    public sealed class MemberNameTests
    {
        [Theory]
        [InlineData("[Dense(4, Activation = Activation.ReLU)] [ReLU(Name = \"dense1Activation\")]", "Flatten")]
        [InlineData("[Dense(4, Activation = Activation.Softmax)] [ReLU(Name = \"dense1Softmax\")] [Dense(3, Name = \"dense1SoftmaxBackward\")]", "Flatten")]
        [InlineData("[BatchNorm2D] [ReLU(Name = \"bn1Train\")] [Conv2D(2, 1, Name = \"bn1TrainForward\")] [BatchNorm2D(Name = \"bn1Mean\")]", null)]
        [InlineData("[Conv2D(2, 3, Padding = 1, Name = \"conv1\")] [Conv2D(2, 3, Padding = 1, Name = \"conv1Forward\")] [Conv2D(2, 3, Padding = 1, Name = \"conv1Gather\")] [ReLU(Name = \"conv1LocalGradients\")]", null)]
        [InlineData("[Conv2D(2, 1, Name = \"layer2.0.conv1\")] [Conv2D(2, 1, Name = \"layer2_0_conv1Forward\")] [ReLU(Name = \"layer2.0.relu\")] [ReLU(Name = \"gradient0\")] [ReLU(Name = \"runStep\")]", null)]
        [InlineData("[Branch] [Conv2D(2, 1, Name = \"a.b\")] [Branch] [Conv2D(2, 1, Name = \"a_bForward\")] [Add(Activation = Activation.ReLU, Name = \"a_bBackward\")] [Branch] [ReLU(Name = \"x\")] [Branch] [Concat(Name = \"xPass\")]", null)]
        public void Colliding_layer_names_generate_unique_members_that_compile(string layers, string? before)
        {
            var prefix = before is null ? string.Empty : "[" + before + "] ";
            var source = "using ConvGen;\nnamespace Names\n{\n    [Input(2, 4, 4)]\n    " + prefix + layers + "\n    public partial class Net { }\n}\n";
            var run = GeneratorHarness.Run(source);
            Assert.DoesNotContain(run.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
            var withRuntime = run.Output.AddReferences(MetadataReference.CreateFromFile(typeof(INetwork).Assembly.Location));
            var problems = withRuntime.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
            Assert.True(problems.Count == 0, string.Join("\n", problems));

            var generated = Assert.Single(run.Sources);
            var type = generated.SyntaxTree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>().Single(c => c.Identifier.ValueText == "Net"); // the network class, not the schedule nested in it
            var names = type.Members.SelectMany(Names).ToList();
            var overloads = new[] { "Forward", "Backward", "TrainStep" };
            var repeated = names.GroupBy(n => n).Where(g => g.Count() > 1 && !overloads.Contains(g.Key)).Select(g => g.Key).ToList();
            Assert.True(repeated.Count == 0, "declared more than once: " + string.Join(", ", repeated));
            Assert.Contains(names, n => n.EndsWith("Backward") && n != "Backward");
        }

        private static System.Collections.Generic.IEnumerable<string> Names(MemberDeclarationSyntax member) => member switch
        {
            MethodDeclarationSyntax method when method.ExplicitInterfaceSpecifier is null => new[] { method.Identifier.ValueText },
            PropertyDeclarationSyntax property when property.ExplicitInterfaceSpecifier is null => new[] { property.Identifier.ValueText },
            FieldDeclarationSyntax field => field.Declaration.Variables.Select(v => v.Identifier.ValueText),
            _ => System.Array.Empty<string>(),
        };
    }
}
