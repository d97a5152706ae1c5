using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConvGen.Serialization;
using TorchSharp;
using static TorchSharp.torch;

namespace ConvGen.TorchSharpSide
{
    /// <summary>A workload ready to time: the call, or null when its result differs from ConvGen's; and that difference (NaN without a check file).</summary>
    internal sealed record Prepared(Action? Call, double MaxDifference);

    /// <summary>The harness's workloads on TorchSharp, as bench_torch.py defines them (same inputs, labels, optimizer, units).</summary>
    internal static class TorchWorkload
    {
        /// <summary>The TorchScript module as traced (eval and no_grad for inference): every workload runs this way.</summary>
        public const string Script = "script";

        /// <summary>The traced module frozen by export_models.py (BatchNorm folded, weights constant): inference only.</summary>
        public const string Frozen = "frozen";

        public static readonly string[] Names =
        {
            "lenet5_infer_b1", "lenet5_infer_b64", "lenet5_train_b64", "conv3x3_64x56_fwd", "conv3x3_64x56_bwd",
            "conv3x3_128x28_fwd", "conv3x3_128x28_bwd", "resnet18_infer_b1", "googlenet_infer_b1",
        };

        /// <summary>The variants a workload runs in: both modules for forward-only workloads, the trainable one otherwise.</summary>
        public static string[] Variants(string workload) =>
            workload.EndsWith("_bwd", StringComparison.Ordinal) || workload == "lenet5_train_b64" ? new[] { Script } : new[] { Script, Frozen };

        /// <summary>
        /// Loads the workload's module (<paramref name="variant"/>) and inputs, runs it once against the check file, and returns
        /// the call to time.
        /// </summary>
        public static Prepared Prepare(string workload, string variant, string models, string? checkPath)
        {
            if (!Variants(workload).Contains(variant))
            {
                throw new ArgumentException($"{workload} runs as {string.Join(" or ", Variants(workload))}, not {variant}.");
            }

            var check = checkPath is null ? null : SafeTensorsFile.Read(checkPath);
            if (workload == "lenet5_train_b64")
            {
                return Training(models, check);
            }

            if (workload.EndsWith("_bwd", StringComparison.Ordinal))
            {
                return ConvolutionBackward(workload, models, check);
            }

            var (network, batch) = Inference(workload);
            var module = Load(models, variant == Frozen ? network + ".frozen" : network);
            module.eval();
            var x = Input(check, Batched(batch, network));
            Agreement agreement;
            using (torch.no_grad())
            {
                agreement = Compare(module.forward(x), check, "output");
            }

            return Checked(agreement, () =>
            {
                using var scope = torch.NewDisposeScope();
                using var noGrad = torch.no_grad();
                module.forward(x);
            });
        }

        /// <summary>The number bench_torch.py reports for a median call: latency in the workload's unit, or images per second at batch 64.</summary>
        public static (double Value, string Unit) Report(string workload, double medianSeconds) => workload switch
        {
            "lenet5_infer_b1" => (medianSeconds * 1e6, "us"),
            "lenet5_infer_b64" or "lenet5_train_b64" => (64 / medianSeconds, "img/s"),
            "resnet18_infer_b1" or "googlenet_infer_b1" => (medianSeconds * 1e3, "ms"),
            _ => (medianSeconds * 1e6, "us"),
        };

        /// <summary>The network and batch of a forward-only workload (a single conv's forward is one at batch 1).</summary>
        private static (string Network, int Batch) Inference(string workload) => workload switch
        {
            "lenet5_infer_b1" => ("lenet5", 1),
            "lenet5_infer_b64" => ("lenet5", 64),
            "resnet18_infer_b1" => ("resnet18", 1),
            "googlenet_infer_b1" => ("googlenet", 1),
            "conv3x3_64x56_fwd" or "conv3x3_128x28_fwd" => (workload[..workload.LastIndexOf('_')], 1),
            _ => throw new ArgumentException($"Unknown workload {workload}."),
        };

        /// <summary>Forward, cross-entropy against labels i mod 10, backward and SGD (lr 0.01, momentum 0.9), as bench_torch.py and the harness do.</summary>
        private static Prepared Training(string models, IReadOnlyDictionary<string, SafeTensor>? check)
        {
            var module = Load(models, "lenet5");
            module.train();
            var optimizer = torch.optim.SGD(module.parameters(), learningRate: 0.01, momentum: 0.9);
            var x = Input(check, Batched(64, "lenet5"));
            var labels = torch.arange(64, ScalarType.Int64) % 10;
            Agreement agreement;
            using (torch.no_grad())
            {
                agreement = Compare(module.forward(x), check, "output");
            }

            return Checked(agreement, () =>
            {
                using var scope = torch.NewDisposeScope();
                optimizer.zero_grad();
                var loss = torch.nn.functional.cross_entropy(module.forward(x), labels);
                loss.backward();
                optimizer.step();
            });
        }

        /// <summary>One 3×3 conv's input and weight gradients, from a graph kept across calls.</summary>
        private static Prepared ConvolutionBackward(string workload, string models, IReadOnlyDictionary<string, SafeTensor>? check)
        {
            var network = workload[..workload.LastIndexOf('_')];
            var module = Load(models, network);
            module.eval();
            var x = Input(check, Batched(1, network));
            var input = x.clone().requires_grad_(true);
            var weight = module.named_parameters().Single(p => p.name.EndsWith("weight", StringComparison.Ordinal)).parameter;
            var output = module.forward(input);
            var outputGradient = check is null ? torch.randn_like(output) : FromCheck(check, "output_grad").reshape(output.shape);
            var sources = new List<Tensor> { input, weight };
            var gradients = torch.autograd.grad(new List<Tensor> { output }, sources, new List<Tensor> { outputGradient }, retain_graph: true);
            var both = Agreement.Both(Compare(gradients[0], check, "input_grad"), Compare(gradients[1], check, "weight_grad"));
            return Checked(both, () =>
            {
                using var scope = torch.NewDisposeScope();
                torch.autograd.grad(new List<Tensor> { output }, sources, new List<Tensor> { outputGradient }, retain_graph: true);
            });
        }

        private static jit.ScriptModule<Tensor, Tensor> Load(string models, string file)
        {
            var path = Path.Combine(models, file + ".pt");
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"{path} is missing: run /usr/bin/python3 bench/pytorch/export_models.py.", path);
            }

            return torch.jit.load<Tensor, Tensor>(path);
        }

        private static long[] Batched(int batch, string network) => network switch
        {
            "lenet5" => new long[] { batch, 1, 28, 28 },
            "conv3x3_64x56" => new long[] { batch, 64, 56, 56 },
            "conv3x3_128x28" => new long[] { batch, 128, 28, 28 },
            "resnet18" or "googlenet" => new long[] { batch, 3, 224, 224 },
            _ => throw new ArgumentException($"Unknown network {network}."),
        };

        /// <summary>The check file's input (ConvGen's), shaped for the workload, or a random one without a check.</summary>
        private static Tensor Input(IReadOnlyDictionary<string, SafeTensor>? check, long[] shape) =>
            check is null ? torch.rand(shape) : FromCheck(check, "input").reshape(shape);

        private static Tensor FromCheck(IReadOnlyDictionary<string, SafeTensor> check, string name)
        {
            var tensor = check.TryGetValue(name, out var found) ? found : throw new InvalidDataException($"The check file has no tensor '{name}'.");
            return torch.tensor(tensor.ToFloatArray(), tensor.Shape.Select(d => (long)d).ToArray());
        }

        /// <summary>
        /// How far <paramref name="got"/> is from ConvGen's <paramref name="name"/> (NaN, agreeing, without a check file), and
        /// whether that is within bench_torch.py's rule: 1e-3 of the largest reference magnitude (float32 sums in another order).
        /// </summary>
        private static Agreement Compare(Tensor got, IReadOnlyDictionary<string, SafeTensor>? check, string name)
        {
            if (check is null)
            {
                return new Agreement(double.NaN, true);
            }

            var expected = FromCheck(check, name).reshape(got.shape);
            double difference = (got.detach() - expected).abs().max().item<float>();
            double scale = Math.Max(1f, expected.abs().max().item<float>());
            return new Agreement(difference, difference <= 1e-3 * scale);
        }

        private static Prepared Checked(Agreement agreement, Action call) => new(agreement.Agrees ? call : null, agreement.MaxDifference);

        private readonly record struct Agreement(double MaxDifference, bool Agrees)
        {
            public static Agreement Both(Agreement a, Agreement b) => new(Math.Max(a.MaxDifference, b.MaxDifference), a.Agrees && b.Agrees);
        }
    }
}
