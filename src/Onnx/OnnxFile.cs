using System;
using System.IO;
using ConvGen.Onnx.Protobuf;
using Google.Protobuf;

namespace ConvGen.Onnx
{
    /// <summary>Reads and writes ONNX model files (one protobuf <c>ModelProto</c>, weights inside the file).</summary>
    internal static class OnnxFile
    {
        /// <summary>Protobuf messages are limited to 2 GiB; larger models keep their weights in external files, which ConvGen does not read.</summary>
        public const long MaximumBytes = int.MaxValue;

        /// <summary>Parses <paramref name="path"/>; a missing, oversized, truncated or non-protobuf file is an <see cref="InvalidDataException"/> naming the problem.</summary>
        public static ModelProto Read(string path)
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new FileNotFoundException($"ONNX model '{path}' does not exist.", path);
            }

            if (info.Length > MaximumBytes)
            {
                throw new InvalidDataException(
                    $"ONNX model '{path}' is {info.Length:N0} bytes; ConvGen reads models of at most {MaximumBytes:N0} bytes with their weights inside the file.");
            }

            ModelProto model;
            try
            {
                using var stream = File.OpenRead(path);
                model = ModelProto.Parser.ParseFrom(stream);
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new InvalidDataException($"'{path}' is not a valid ONNX model (truncated or not a protobuf file): {e.Message}", e);
            }

            if (model.Graph is null)
            {
                throw new InvalidDataException($"'{path}' is not a valid ONNX model: it has no graph (an empty, truncated or unrelated file).");
            }

            return model;
        }

        /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> atomically.</summary>
        public static void Write(string path, ModelProto model) => AtomicFile.Write(path, model.WriteTo);
    }
}
