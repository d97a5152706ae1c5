using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Generator.Analysis;
using ConvGen.Generator.Emit;
using ConvGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generator.Tests
{
    /// <summary>How [Branch] groups, [Add]/[Concat] and From become each layer's <see cref="LayerModel.Inputs"/>.</summary>
    public class GraphParsingTests
    {
        /// <summary>Parses one network class that must have no diagnostics; returns each layer as "name: input, input".</summary>
        private static string[] Wiring(string attributes)
        {
            var run = GeneratorHarness.Run(DiagnosticAssert.Usings + attributes + "\npublic partial class Net { }");
            Assert.Empty(run.CompilerErrors);
            Assert.Empty(run.Diagnostics);
            var model = Assert.Single(run.Parsed).Model;
            Assert.NotNull(model);
            return model!.Layers.Select(l => l.Name + ": " + string.Join(", ", l.Inputs)).ToArray();
        }

        [Fact]
        public void ResNetBasicBlock_WithProjectionShortcut()
        {
            var wiring = Wiring(
                "[Input(64, 7, 7)]\n" +
                "[Branch]\n" +
                "[Conv2D(128, 3, Stride = 2, Padding = 1, Bias = false, Name = \"layer2.0.conv1\")]\n" +
                "[BatchNorm2D(Name = \"layer2.0.bn1\")]\n" +
                "[ReLU]\n" +
                "[Conv2D(128, 3, Padding = 1, Bias = false, Name = \"layer2.0.conv2\")]\n" +
                "[BatchNorm2D(Name = \"layer2.0.bn2\")]\n" +
                "[Branch]\n" +
                "[Conv2D(128, 1, Stride = 2, Bias = false, Name = \"layer2.0.downsample.0\")]\n" +
                "[BatchNorm2D(Name = \"layer2.0.downsample.1\")]\n" +
                "[Add(Activation = Activation.ReLU)]");
            Assert.Equal(
                new[]
                {
                    "layer2.0.conv1: input", "layer2.0.bn1: layer2.0.conv1", "relu1: layer2.0.bn1", "layer2.0.conv2: relu1",
                    "layer2.0.bn2: layer2.0.conv2", "layer2.0.downsample.0: input", "layer2.0.downsample.1: layer2.0.downsample.0",
                    "add1: layer2.0.bn2, layer2.0.downsample.1",
                },
                wiring);
        }

        [Fact]
        public void InceptionModule_FourBranchesFromTheSameValue()
        {
            var wiring = Wiring(
                "[Input(3, 28, 28)]\n[Conv2D(192, 1)]\n" +
                "[Branch] [Conv2D(64, 1)]\n" +
                "[Branch] [Conv2D(96, 1)] [Conv2D(128, 3, Padding = 1)]\n" +
                "[Branch] [Conv2D(16, 1)] [Conv2D(32, 5, Padding = 2)]\n" +
                "[Branch] [MaxPool2D(3, Stride = 1, Padding = 1, CeilMode = true)] [Conv2D(32, 1)]\n" +
                "[Concat(Expect = \"256x28x28\")]");
            Assert.Equal(
                new[]
                {
                    "conv1: input", "conv2: conv1", "conv3: conv1", "conv4: conv3", "conv5: conv1", "conv6: conv5",
                    "maxpool1: conv1", "conv7: maxpool1", "concat1: conv2, conv4, conv6, conv7",
                },
                wiring);
        }

        [Fact]
        public void DenseNetLayer_AnEmptyBranchIsTheIdentity()
        {
            var wiring = Wiring(
                "[Input(64, 8, 8)]\n[Conv2D(64, 1)]\n" +
                "[Branch] [Branch] [BatchNorm2D] [ReLU] [Conv2D(128, 1, Bias = false)] [BatchNorm2D] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false)] [Concat]");
            Assert.Equal("bn1: conv1", wiring[1]);
            Assert.Equal("concat1: conv1, conv3", wiring[^1]);
        }

        [Fact]
        public void NestedGroup_MergesInsideTheOuterBranch()
        {
            var wiring = Wiring(
                "[Input(4, 8, 8)]\n" +
                "[Branch] [Conv2D(4, 1)]\n" +
                "    [Branch(Nested = true)] [Conv2D(4, 1)]\n" +
                "    [Branch]\n" +
                "    [Add]\n" +
                "[Branch] [Conv2D(4, 1)]\n" +
                "[Concat]");
            Assert.Equal(new[] { "conv1: input", "conv2: conv1", "add1: conv2, conv1", "conv3: input", "concat1: add1, conv3" }, wiring);
        }

        [Fact]
        public void From_AndExplicitMergeNames_WireAnyEarlierLayers()
        {
            var wiring = Wiring(
                "[Input(4, 8, 8)]\n" +
                "[Conv2D(4, 3, Padding = 1, Name = \"a\")]\n" +
                "[Conv2D(4, 3, Padding = 1)]\n" +
                "[Conv2D(4, 1, From = \"input\")]\n" +
                "[Add(\"a\", \"conv1\", \"conv2\")]\n" +
                "[Conv2D(4, 1, From = \"a\")]\n" +
                "[Concat(\"add1\", \"conv3\")]");
            Assert.Equal(new[] { "a: input", "conv1: a", "conv2: input", "add1: a, conv1, conv2", "conv3: a", "concat1: add1, conv3" }, wiring);
        }

        [Fact]
        public void DefaultNames_SkipNamesTakenExplicitly()
        {
            Assert.Equal(
                new[] { "conv1: input", "conv2: conv1", "conv3: conv2" },
                Wiring("[Input(1, 4, 4)]\n[Conv2D(1, 1, Name = \"conv1\")]\n[Conv2D(1, 1)]\n[Conv2D(1, 1)]"));
            Assert.Equal(
                new[] { "conv2: input", "conv1: conv2", "add1: conv2, conv1", "add2: add1, conv1" },
                Wiring("[Input(1, 4, 4)]\n[Conv2D(1, 1)]\n[Conv2D(1, 1, Name = \"conv1\")]\n[Add(\"conv2\", \"conv1\")]\n[Add(\"add1\", \"conv1\")]"));
        }

        [Fact]
        public void Chain_ReadsThePreviousLayer()
        {
            var run = GeneratorHarness.Run(Networks.LeNet5);
            var model = Assert.Single(run.Models);
            Assert.True(model.IsChain);
            Assert.Equal(LayerModel.Reads(null), model.Layers[0].Inputs);
            Assert.All(Enumerable.Range(1, model.Layers.Count - 1), i => Assert.Equal(LayerModel.Reads(model.Layers[i - 1].Name), model.Layers[i].Inputs));
        }
    

        [Fact]
        public void RandomGraphDeclarations_AreCheckedNeverThrow()
        {
            // Random [Branch]/merge/From soups: each either parses into a model with no errors (whose summary renders),
            // or reports at least one error located in the source; the harness fails the test if the generator throws.
            var random = new Random(9);
            string[] names = { "input", "a", "b", "conv1", "add1", "nope" };
            var (valid, invalid) = (0, 0);
            for (var run = 0; run < 60; run++)
            {
                var attributes = new List<string> { "[Input(4, 8, 8)]" };
                var count = random.Next(1, 7);
                for (var i = 0; i < count; i++)
                {
                    var name = random.Next(4) == 0 ? ", Name = \"" + names[random.Next(1, 3)] + "\"" : string.Empty;
                    var from = random.Next(5) == 0 ? ", From = \"" + names[random.Next(names.Length)] + "\"" : string.Empty;
                    attributes.Add(random.Next(10) switch
                    {
                        0 => "[Branch(Nested = true)]",
                        1 or 2 => "[Branch]",
                        3 => random.Next(2) == 0 ? "[Add]" : "[Concat]",
                        4 => "[Add(" + string.Join(", ", Enumerable.Range(0, random.Next(1, 4)).Select(_ => "\"" + names[random.Next(names.Length)] + "\"")) + ")]",
                        5 => "[MaxPool2D(2" + name + from + ")]",
                        _ => "[Conv2D(4, 1" + name + from + ")]",
                    });
                }

                var result = GeneratorHarness.Run(DiagnosticAssert.Usings + string.Join("\n", attributes) + "\npublic partial class Net { }");
                var model = Assert.Single(result.Parsed).Model;
                if (model is null)
                {
                    invalid++;
                    Assert.Contains(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error && d.Location.GetLineSpan().Path == "Network0.cs");
                }
                else
                {
                    valid++;
                    Assert.DoesNotContain(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
                    Assert.Contains("Total parameters:", SummaryTable.Render(model, ShapeInference.Infer(model)));
                }
            }

            Assert.True(valid >= 5 && invalid >= 5, $"{valid} valid and {invalid} invalid declarations: the generator mix no longer covers both");
        }
    }
}
