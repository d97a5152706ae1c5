using System;
using System.Collections.Generic;
using System.IO;
using ConvGen.Onnx;

namespace ConvGen.Cli
{
    /// <summary><c>convgen import MODEL.onnx --class NAME [--namespace NS] [--out DIR]</c>.</summary>
    public static class Program
    {
        private const string Usage =
            "usage: convgen import MODEL.onnx --class NAME [--namespace NS] [--out DIR]\n" +
            "  Writes NAME.cs (the network as ConvGen attributes) and NAME.safetensors (its weights) into DIR (default: .).";

        public static int Main(string[] args)
        {
            if (args.Length == 0 || args[0] is "-h" or "--help")
            {
                Console.WriteLine(Usage);
                return args.Length == 0 ? 2 : 0;
            }

            if (args[0] != "import")
            {
                return Fail($"unknown command '{args[0]}'.\n{Usage}");
            }

            string? model = null;
            var options = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 1; i < args.Length; i++)
            {
                if (args[i] is "--class" or "--namespace" or "--out")
                {
                    if (i + 1 >= args.Length)
                    {
                        return Fail($"{args[i]} needs a value.\n{Usage}");
                    }

                    options[args[i]] = args[++i];
                }
                else if (args[i].StartsWith("--", StringComparison.Ordinal) || model is not null)
                {
                    return Fail($"unexpected argument '{args[i]}'.\n{Usage}");
                }
                else
                {
                    model = args[i];
                }
            }

            if (model is null || !options.TryGetValue("--class", out var className))
            {
                return Fail($"import needs a model file and --class.\n{Usage}");
            }

            try
            {
                var network = ImportedNetwork.FromOnnx(model);
                var (source, weights) = network.WriteFiles(options.GetValueOrDefault("--out", "."), className, options.GetValueOrDefault("--namespace"));
                Console.WriteLine($"{source}: {network.Description.Layers.Count} layers, {network.ParameterCount:N0} parameters");
                Console.WriteLine($"{weights}: {network.Tensors.Count} tensors");
                return 0;
            }
            catch (Exception e) when (e is OnnxImportException or InvalidDataException or IOException or ArgumentException or UnauthorizedAccessException)
            {
                return Fail(e.Message);
            }
        }

        private static int Fail(string message)
        {
            Console.Error.WriteLine("convgen: " + message);
            return 1;
        }
    }
}
