using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace ConvGen.Generator.Tests
{
    /// <summary>
    /// The emitted code reads like a careful human wrote it (<see cref="TrivialCode"/>): no foldable arithmetic, no loop of
    /// one iteration, no bare positional booleans — over the snapshot and reference networks, the networks ConvGen.Tests
    /// compiles, and random valid declarations. Shared im2col helpers are emitted once per geometry.
    /// </summary>
    public class EmittedCodeClarityTests
    {
        private const int FuzzSeed = 20261129;
        private const int FuzzValidCases = 150;

        [Fact]
        public void Checker_FindsTheNoiseItLooksFor()
        {
            var noisy = string.Join("\n", new[]
            {
                "var t0 = taps.Slice(0 + (oy * 28), 28);",
                "var y = dy.Slice(c * 1, 1);",
                "var w = _parameters.AsSpan(W + i0, ((500 - 1) * 2450) + columns);",
                "for (var c = 0; c < 1; c++)",
                "global::ConvGen.Kernels.Gemm.Multiply(false, true, 20, 25, 784, dy, 784, col, 784, dWeight, 25, accumulate: true);",
                "var scale = 1f;",
                "var shift = 0f;",
                "Scale(y, scale, shift);",
            });
            var problems = TrivialCode.Problems(noisy).ToList();
            Assert.Equal(6, problems.Count);
            Assert.StartsWith("line 1: 0 + x", problems[0], StringComparison.Ordinal);
            Assert.StartsWith("line 2: x * 1", problems[1], StringComparison.Ordinal);
            Assert.StartsWith("line 3: arithmetic on two literals", problems[2], StringComparison.Ordinal);
            Assert.StartsWith("line 4: a loop of at most one iteration", problems[3], StringComparison.Ordinal);
            Assert.StartsWith("line 5: positional boolean arguments", problems[4], StringComparison.Ordinal);
            Assert.StartsWith("line 6: a scale of 1", problems[5], StringComparison.Ordinal);

            // What the emitters write instead passes.
            var clean = "var t0 = taps.Slice(oy * 28, 28);\nvar y = dy.Slice(c, 1);\nvar i = (c * 5 + ky) * 980 - 10;\nfor (var ox = 1; ox < 3; ox++)\n"
                + "global::ConvGen.Kernels.Gemm.Multiply(transA: false, transB: true, m: 20, n: 25, k: 784,\nvar scale = 1f;\nvar shift = 0f;\nif (fold)";
            Assert.Empty(TrivialCode.Problems(clean));
        }

        [Fact]
        public void ReferenceAndTestNetworks_EmitNoTrivialArithmeticOrOneIterationLoops()
        {
            var sources = new List<string> { Networks.LeNet5, Networks.ClassicLeNet5, Networks.Kitchen, Networks.Vgg16, Networks.AlexNet };
            sources.AddRange(Directory.GetFiles(TestNetworksDirectory(), "*.cs").OrderBy(f => f, StringComparer.Ordinal).Select(File.ReadAllText));
            AssertClean(sources, "reference and test networks");
        }

        [Fact]
        public void RandomNetworks_EmitNoTrivialArithmeticOrOneIterationLoops()
        {
            var fuzz = new FuzzDeclarations(FuzzSeed);
            var sources = Enumerable.Range(0, 1000).Select(fuzz.Next).Where(c => c.Valid).Take(FuzzValidCases).Select(c => c.Source).ToList();
            Assert.Equal(FuzzValidCases, sources.Count);
            AssertClean(sources, "random networks");
        }

        [Fact]
        public void ConvsOfOneGeometry_ShareOneGatherAndOneScatter()
        {
            const string source = """
                using ConvGen;

                [Input(1, 12, 12)]
                [Conv2D(2, 3, Padding = 1, Activation = Activation.ReLU)]
                [Conv2D(2, 3, Padding = 1, Activation = Activation.ReLU)]
                [Conv2D(2, 3, Padding = 1)]
                [Conv2D(2, 3, Stride = 2, Padding = 1)]
                [Flatten]
                [Dense(2)]
                public partial class Twins { }
                """;
            var code = GeneratorHarness.NetworkCode(source);

            // conv1 reads 1 channel: a geometry of its own. conv2 and conv3 read 2×12×12 alike: one pair, named for conv2, for both.
            // conv4 reads 2×12×12 too, but with stride 2: another pair. (Fewer than 3 input channels keeps every forward on im2col.)
            var helpers = Regex.Matches(code, @"private static void (\w+(Gather|Scatter))\(").Select(m => m.Groups[1].Value).ToList();
            Assert.Equal(new[] { "Conv1Gather", "Conv1Scatter", "Conv2Gather", "Conv2Scatter", "Conv4Gather", "Conv4Scatter" }, helpers.OrderBy(h => h, StringComparer.Ordinal));
            Assert.Contains("im2col for conv2, conv3:", code, StringComparison.Ordinal);
            Assert.Equal(4, Count(code, "Conv2Gather(x, col);")); // conv2 and conv3, forward and backward
            Assert.Equal(2, Count(code, "Conv4Gather(x, col);"));
            Assert.Equal(2, Count(code, "Conv2Scatter(dcol, dx);"));
            Assert.Equal(0, Count(code, "Conv3Gather"));
        }

        private static void AssertClean(IReadOnlyList<string> declarations, string what)
        {
            var failures = new List<string>();
            var networks = 0;
            foreach (var source in declarations)
            {
                foreach (var generated in GeneratorHarness.Run(source).Sources)
                {
                    var text = generated.SourceText.ToString();
                    if (!text.Contains("RunForward", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    networks++;
                    failures.AddRange(TrivialCode.Problems(text).Take(3).Select(p => generated.HintName + " " + p));
                }
            }

            Assert.True(networks >= declarations.Count, $"{networks} generated networks from {declarations.Count} {what}");
            Assert.True(failures.Count == 0, failures.Count + " noisy line(s) in " + what + ":\n" + string.Join("\n", failures.Take(20)));
        }

        private static int Count(string text, string part) => Regex.Matches(text, Regex.Escape(part)).Count;

        private static string TestNetworksDirectory([CallerFilePath] string testFile = "") =>
            Path.Combine(Path.GetDirectoryName(testFile)!, "..", "ConvGen.Tests", "Networks");
    }
}
