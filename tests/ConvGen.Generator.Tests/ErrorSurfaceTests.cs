using System;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ConvGen.Generator.Tests
{
    /// <summary>
    /// A network with a build error still gets its public surface, so code that uses it binds and the build reports the
    /// real error alone; each member throws an <see cref="InvalidOperationException"/> naming that error.
    /// </summary>
    public class ErrorSurfaceTests
    {
        /// <summary>Uses every kind of member a program touches: constants, the constructor, INetwork members, runtime extensions.</summary>
        private const string Usage = """
            using System;
            using ConvGen;

            public static class Program
            {
                public const int Parameters = Net.ParameterCount;

                public static void Run()
                {
                    var net = new Net(seed: 1);
                    var input = new float[Net.InputLength];
                    var output = new float[Net.OutputLength];
                    net.Threads = 1;
                    net.Forward(input, output);
                    net.Forward(input, output, batchSize: 1);
                    net.Backward(output, 1);
                    net.ZeroGradients();
                    float loss = net.TrainStep(input, new[] { 3 }, 1, new Sgd(0.1f));
                    Console.WriteLine(net.Parameters.Count + net.ParameterValues.Length + loss + Net.Summary.Length + Net.InputChannels);
                    INetwork asInterface = net;
                    asInterface.Save("net.safetensors");
                }
            }
            """;

        private const string MissingFlatten = """
            using ConvGen;
            [Input(1, 28, 28)]
            [Conv2D(4, 5)]
            [MaxPool2D(2)]
            [Dense(10)]
            public partial class Net { }
            """;

        [Fact]
        public void Code_using_a_network_with_an_error_compiles_and_the_error_is_the_only_one()
        {
            var run = Run(MissingFlatten);
            Assert.Equal(new[] { "CG0009" }, run.Diagnostics.Select(d => d.Id));
            Assert.Empty(run.Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        }

        [Fact]
        public void Without_the_surface_the_same_code_would_fail_on_every_use()
        {
            // The control for the test above: the usage does need generated members.
            var compilation = Compilation(MissingFlatten);
            var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id).Distinct();
            Assert.Contains("CS0117", errors);
        }

        [Fact]
        public void Each_member_throws_naming_the_error()
        {
            var type = Load(Run(MissingFlatten)).GetType("Net")!;
            var thrown = Assert.Throws<TargetInvocationException>(() => Activator.CreateInstance(type, 0));
            var error = Assert.IsType<InvalidOperationException>(thrown.InnerException);
            Assert.Contains("Net", error.Message);
            Assert.Contains("CG0009: Layer 'dense1' (Dense) reads the spatial shape 4×12×12", error.Message);

            var zeroGradients = type.GetMethod("ZeroGradients")!;
            var instance = System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(type);
            var fromMethod = Assert.Throws<TargetInvocationException>(() => zeroGradients.Invoke(instance, null));
            Assert.Equal(error.Message, fromMethod.InnerException!.Message);
        }

        [Fact]
        public void Constants_keep_what_inference_found()
        {
            // Every shape is known; only the declared parameter count is wrong (CG0013).
            var type = Load(Run(MissingFlatten.Replace("[Input(1, 28, 28)]", "[Input(1, 28, 28, ExpectedParameters = 5)]").Replace("[Dense(10)]", "[Flatten]\n[Dense(10)]")))
                .GetType("Net")!;
            Assert.Equal(784, Constant(type, "InputLength"));
            Assert.Equal(10, Constant(type, "OutputLength"));
            Assert.Equal((4 * 25) + 4 + (576 * 10) + 10, Constant(type, "ParameterCount"));
            Assert.Contains("CG0013", (string)type.GetField("Summary")!.GetValue(null)!);
        }

        [Fact]
        public void A_class_that_is_not_partial_gets_no_surface()
        {
            var run = Run(MissingFlatten.Replace("partial ", string.Empty));
            Assert.Empty(run.Sources);
            Assert.Contains(run.Diagnostics, d => d.Id == "CG0001");
        }

        private static object Constant(Type type, string name) => type.GetField(name)!.GetRawConstantValue()!;

        private static CSharpCompilation Compilation(string network) =>
            GeneratorHarness.CreateCompilation(network, Usage)
                .AddReferences(MetadataReference.CreateFromFile(typeof(INetwork).Assembly.Location));

        private static GeneratorRun Run(string network) => GeneratorHarness.Run(Compilation(network), GeneratorHarness.CreateDriver());

        private static Assembly Load(GeneratorRun run)
        {
            using var image = new MemoryStream();
            var result = run.Output.Emit(image);
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
            return Assembly.Load(image.ToArray());
        }
    }
}
