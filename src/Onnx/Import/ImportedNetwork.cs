using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ConvGen.Serialization;

namespace ConvGen.Onnx
{
    /// <summary>An ONNX model turned into a ConvGen network: its structure and its weights under ConvGen's parameter names.</summary>
    public sealed class ImportedNetwork
    {
        internal ImportedNetwork(NetworkDescription description, IReadOnlyList<SafeTensor> tensors, string source)
        {
            Description = description;
            Tensors = tensors;
            Source = source;
        }

        /// <summary>The layers, as the declaration will state them.</summary>
        public NetworkDescription Description { get; }

        /// <summary>Weights, biases and BatchNorm statistics, named as the declared network's parameters and buffers.</summary>
        public IReadOnlyList<SafeTensor> Tensors { get; }

        /// <summary>The file the model came from.</summary>
        public string Source { get; }

        /// <summary>Trainable parameters (BatchNorm's running statistics are buffers, not counted), as <c>ExpectedParameters</c> states.</summary>
        public int ParameterCount => checked((int)Description.Layers
            .SelectMany(l => l.ParameterNames)
            .Sum(name => Tensors.First(t => t.Name == name).ElementCount));

        /// <summary>
        /// Reads and converts an ONNX model. Unsupported nodes, damaged files and shapes ConvGen cannot compile raise an
        /// <see cref="OnnxImportException"/> (or <see cref="InvalidDataException"/> for files that are not ONNX) that names each problem.
        /// </summary>
        public static ImportedNetwork FromOnnx(string path) => OnnxImporter.Import(path);

        /// <summary>The declaration of a partial class <paramref name="className"/> (C# source).</summary>
        public string Declaration(string className, string? @namespace = null)
        {
            RequireIdentifier(className, nameof(className));
            foreach (var part in @namespace?.Split('.') ?? Array.Empty<string>())
            {
                RequireIdentifier(part, nameof(@namespace));
            }

            return DeclarationWriter.Write(Description, ParameterCount, className, @namespace, Path.GetFileName(Source));
        }

        /// <summary>
        /// Writes <c>{className}.cs</c> and <c>{className}.safetensors</c> into <paramref name="folder"/>, each atomically; the
        /// declaration is built first, so a bad name writes nothing. Returns the two paths.
        /// </summary>
        public (string Source, string Weights) WriteFiles(string folder, string className, string? @namespace = null)
        {
            var declaration = Declaration(className, @namespace);
            Directory.CreateDirectory(folder);
            var weights = Path.Combine(folder, className + ".safetensors");
            var source = Path.Combine(folder, className + ".cs");
            SafeTensorsFile.Write(weights, Tensors, new Dictionary<string, string> { ["source"] = Path.GetFileName(Source), ["format"] = "pt" });
            AtomicFile.Write(source, stream => stream.Write(Encoding.UTF8.GetBytes(declaration)));
            return (source, weights);
        }

        private static void RequireIdentifier(string name, string parameter)
        {
            var valid = name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_') && name.All(c => char.IsLetterOrDigit(c) || c == '_');
            if (!valid)
            {
                throw new ArgumentException($"'{name}' is not a C# identifier.", parameter);
            }
        }
    }
}
