using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConvGen.Serialization;

namespace ConvGen
{
    /// <summary>Saves and loads a network's parameters and buffers as a safetensors file, with PyTorch's names and layouts.</summary>
    public static class NetworkSerialization
    {
        /// <summary>
        /// Writes every tensor of <see cref="INetwork.Parameters"/> and then <see cref="INetwork.Buffers"/> as F32 with its name and shape,
        /// replacing <paramref name="path"/> atomically (see <see cref="SafeTensorsFile.Write"/>).
        /// </summary>
        public static void Save(this INetwork network, string path, IReadOnlyDictionary<string, string>? metadata = null)
        {
            ArgumentNullException.ThrowIfNull(network);
            SafeTensorsFile.Write(path, Tensors(network).Select(p => SafeTensor.FromFloats(p.Name, p.Shape, p.Values)), metadata);
        }

        /// <summary>
        /// Loads the parameters and buffers from a safetensors file. Every tensor of the network must be in the file with the same shape
        /// and dtype F32 (F64 is accepted and rounded to float), and the file must hold no other tensors. On any mismatch an
        /// <see cref="InvalidDataException"/> lists every difference and the network is left untouched.
        /// </summary>
        public static void Load(this INetwork network, string path)
        {
            ArgumentNullException.ThrowIfNull(network);
            var file = SafeTensorsFile.Read(path);
            var problems = new List<string>();
            var values = new List<(Parameter Target, float[] Values)>();
            var expected = new HashSet<string>(StringComparer.Ordinal);
            foreach (var parameter in Tensors(network))
            {
                expected.Add(parameter.Name);
                if (!file.TryGetValue(parameter.Name, out var tensor))
                {
                    problems.Add($"'{parameter.Name}' [{string.Join(", ", parameter.Shape)}] is missing from the file");
                }
                else if (tensor.DType is not (SafeTensorDType.F32 or SafeTensorDType.F64))
                {
                    problems.Add($"'{parameter.Name}' has dtype {tensor.DType} in the file; expected F32 (or F64)");
                }
                else if (!tensor.HasShape(parameter.Shape))
                {
                    problems.Add($"'{parameter.Name}' has shape [{string.Join(", ", tensor.Shape)}] in the file but [{string.Join(", ", parameter.Shape)}] in the network");
                }
                else
                {
                    values.Add((parameter, tensor.ToFloatArray()));
                }
            }

            foreach (var name in file.Keys.Where(n => !expected.Contains(n)).OrderBy(n => n, StringComparer.Ordinal))
            {
                problems.Add($"'{name}' is in the file but not in the network");
            }

            if (problems.Count > 0)
            {
                throw new InvalidDataException(
                    $"'{path}' does not match the network ({problems.Count} difference{(problems.Count == 1 ? "" : "s")}); nothing was loaded:"
                    + Environment.NewLine + "  - " + string.Join(Environment.NewLine + "  - ", problems));
            }

            foreach (var (target, source) in values)
            {
                source.CopyTo(target.Values);
            }
        }

        private static IEnumerable<Parameter> Tensors(INetwork network) => network.Parameters.Concat(network.Buffers);
    }
}
