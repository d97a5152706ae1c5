using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ConvGen.Onnx.Tests
{
    /// <summary>Runs an ONNX file in ONNX Runtime (one thread) on a batch [N, C, H, W].</summary>
    internal static class OnnxRuntimeReference
    {
        public static float[] Run(string path, float[] input, int batch, int channels, int height, int width)
        {
            using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
            using var session = new InferenceSession(path, options);
            var tensor = new DenseTensor<float>(input, new[] { batch, channels, height, width });
            using var results = session.Run(new List<NamedOnnxValue> { NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.Single(), tensor) });
            return results.Single().AsEnumerable<float>().ToArray();
        }
    }
}
