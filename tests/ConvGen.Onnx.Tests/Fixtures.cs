using System;
using System.IO;
using ConvGen.Onnx.Protobuf;

namespace ConvGen.Onnx.Tests
{
    /// <summary>The ONNX files made by tests/onnx/make_onnx.py (copied to onnx/ in the output), and deterministic inputs.</summary>
    internal static class Fixtures
    {
        public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "onnx", name);

        public static ModelProto Model(string name) => OnnxFile.Read(Path(name));

        /// <summary>Uniform values in [-1, 1) from a fixed seed.</summary>
        public static float[] Input(int length, int seed)
        {
            var random = new Random(seed);
            var values = new float[length];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = (float)((random.NextDouble() * 2) - 1);
            }

            return values;
        }
    }
}
