using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;

namespace ConvGen.Generator.Tests
{
    /// <summary>
    /// End to end, as a user meets it: ConvGen packed into a folder feed, a new console project outside the repository,
    /// <c>dotnet add package ConvGen</c> and nothing else. A network with a shape bug fails <c>dotnet build</c> with the
    /// CG error on the attribute's line and no other error (the code using the network still binds); the fixed network
    /// builds, trains and classifies. An .editorconfig severity silences or restores a warning.
    /// </summary>
    public sealed class PackageConsumerTests
    {
#if DEBUG
        private const string Configuration = "Debug";
#else
        private const string Configuration = "Release";
#endif

        [Fact]
        public void A_new_project_installs_the_package_gets_one_clear_error_then_trains_and_classifies()
        {
            var root = Directory.CreateTempSubdirectory("convgen-package-");
            try
            {
                var feed = Path.Combine(root.FullName, "feed");
                var app = Path.Combine(root.FullName, "app");
                // A package cache of its own, so the ConvGen just packed is the one used (the machine's sources stay configured for anything else).
                var packages = Path.Combine(root.FullName, "packages");

                // The test project has built the generator, code fixes and runtime already (it references them).
                Dotnet(root.FullName, packages, $"pack \"{Path.Combine(RepositoryRoot(), "src", "Runtime", "ConvGen.Runtime.csproj")}\" -c {Configuration} --no-build -o \"{feed}\"");
                Assert.Equal(new[] { "ConvGen" }, Directory.GetFiles(feed, "*.nupkg").Select(f => Path.GetFileName(f).Split('.')[0]));
                Dotnet(root.FullName, packages, $"new console -o app -n App");
                Dotnet(app, packages, $"add package ConvGen --source \"{feed}\"");

                var program = Path.Combine(app, "Program.cs");
                var editorConfig = Path.Combine(app, ".editorconfig");
                File.WriteAllText(program, Program(flatten: false));
                File.WriteAllText(editorConfig, EditorConfig("none"));
                var (exitCode, output) = Run(app, packages, "build --nologo -clp:NoSummary");
                Assert.NotEqual(0, exitCode);
                Assert.Contains("Program.cs(34,2): error CG0009: Layer 'dense1' (Dense) reads the spatial shape 2×3×3", output);
                var errors = output.Split('\n').Where(line => line.Contains(": error ", StringComparison.Ordinal)).Distinct().ToList();
                Assert.True(errors.Count == 1, "Expected the CG0009 error alone:\n" + output);
                Assert.DoesNotContain("CG0015", output);

                // The pool's stride leaves a row and a column unread: CG0015, a warning once .editorconfig stops silencing it.
                File.WriteAllText(program, Program(flatten: true));
                File.WriteAllText(editorConfig, EditorConfig("warning"));
                (exitCode, output) = Run(app, packages, "build --nologo -clp:NoSummary");
                Assert.True(exitCode == 0, output);
                Assert.Contains("Program.cs(33,2): warning CG0015: Layer 'maxpool1' (MaxPool2D)", output);

                (exitCode, output) = Run(app, packages, "run --no-build");
                Assert.True(exitCode == 0, output);
                Assert.Contains("2 classes, 58 parameters", output);
                Assert.Contains("held-out accuracy 40/40", output);
            }
            finally
            {
                root.Delete(recursive: true);
            }
        }

        private static string EditorConfig(string severity) => "root = true\n\n[*.cs]\ndotnet_diagnostic.CG0015.severity = " + severity + "\n";

        /// <summary>
        /// Trains a tiny network to tell a 9×9 image lit on its left side from one lit on its right side, then counts the
        /// held-out images it gets right. Line 34 holds the Dense attribute that needs a Flatten first.
        /// </summary>
        private static string Program(bool flatten) => string.Join("\n",
            "using ConvGen;",
            "",
            "var random = new Random(7);",
            "(float[] Images, int[] Labels) Make(int count)",
            "{",
            "    var images = new float[count * HalfLit.InputLength];",
            "    var labels = new int[count];",
            "    for (var i = 0; i < count; i++)",
            "    {",
            "        labels[i] = i % 2;",
            "        for (var p = 0; p < HalfLit.InputLength; p++)",
            "        {",
            "            var lit = (p % HalfLit.InputWidth < HalfLit.InputWidth / 2) == (labels[i] == 0);",
            "            images[(i * HalfLit.InputLength) + p] = (lit ? 1f : 0f) + (0.2f * (float)random.NextDouble());",
            "        }",
            "    }",
            "    return (images, labels);",
            "}",
            "",
            "var (train, trainLabels) = Make(64);",
            "var (test, testLabels) = Make(40);",
            "var net = new HalfLit(seed: 1);",
            "var optimizer = new Sgd(learningRate: 0.1f, momentum: 0.9f);",
            "for (var epoch = 0; epoch < 20; epoch++) net.TrainStep(train, trainLabels, batchSize: 64, optimizer);",
            "var logits = new float[40 * HalfLit.OutputLength];",
            "net.Forward(test, logits, batchSize: 40);",
            "var correct = Enumerable.Range(0, 40).Count(i => (logits[2 * i + 1] > logits[2 * i] ? 1 : 0) == testLabels[i]);",
            "Console.WriteLine($\"{HalfLit.OutputLength} classes, {HalfLit.ParameterCount} parameters\");",
            "Console.WriteLine($\"held-out accuracy {correct}/40\");",
            "",
            "[Input(1, 9, 9)]",
            "[Conv2D(2, 3, Activation = Activation.ReLU)]",
            "[MaxPool2D(2)]" + (flatten ? " [Flatten]" : string.Empty),
            "[Dense(2)]",
            "public partial class HalfLit { }",
            "");

        private static void Dotnet(string folder, string packages, string arguments)
        {
            var (exitCode, output) = Run(folder, packages, arguments);
            Assert.True(exitCode == 0, "dotnet " + arguments + " failed:\n" + output);
        }

        private static (int ExitCode, string Output) Run(string folder, string packages, string arguments)
        {
            var start = new ProcessStartInfo("dotnet", arguments)
            {
                WorkingDirectory = folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_NOLOGO"] = "1";
            start.Environment["NUGET_PACKAGES"] = packages;
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output + error.Result);
        }

        private static string RepositoryRoot([CallerFilePath] string file = "") =>
            Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, "..", ".."));
    }
}
