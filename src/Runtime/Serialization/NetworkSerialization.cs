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
        /// <summary>The suffix of the batch counter PyTorch's BatchNorm keeps in its <c>state_dict</c>.</summary>
        private const string BatchCounter = ".num_batches_tracked";

        /// <summary>
        /// Writes every tensor of <see cref="INetwork.Parameters"/> and then <see cref="INetwork.Buffers"/> as F32 with its name and shape,
        /// replacing <paramref name="path"/> atomically (see <see cref="SafeTensorsFile.Write"/>).
        /// </summary>
        public static void Save(this INetwork network, string path, IReadOnlyDictionary<string, string>? metadata = null)
        {
            ArgumentNullException.ThrowIfNull(network);
            SafeTensorsFile.Write(path, Tensors(network).Select(p => SafeTensor.FromFloats(p.Name, p.Shape, p.ReadOnlyValues)), metadata);
        }

        /// <summary>
        /// Loads the parameters and buffers from a safetensors file, such as one written by <see cref="Save"/> or a PyTorch
        /// <c>state_dict</c> saved with <c>safetensors.torch.save_file</c>. Tensors are matched by name and must have the network's
        /// shape; F32, F64, F16 and BF16 are accepted (converted to float). BatchNorm's <c>num_batches_tracked</c> (an I64 scalar
        /// beside a BatchNorm's <c>running_mean</c>) is ignored: ConvGen's BatchNorm always uses its fixed momentum, so the count has no
        /// effect; it is listed in <see cref="LoadReport.Ignored"/>.
        /// <para>
        /// Strict (the default): every tensor of the network must be in the file and match, and the file must hold no other tensors;
        /// otherwise an <see cref="InvalidDataException"/> names the file and lists every difference, and the network is left untouched.
        /// With <paramref name="strict"/> false, the matching tensors are loaded and the rest are reported in the returned
        /// <see cref="LoadReport"/> (the network keeps its own values for those). Either way nothing is written unless the whole file
        /// has been read and checked.
        /// </para>
        /// </summary>
        public static LoadReport Load(this INetwork network, string path, bool strict = true)
        {
            ArgumentNullException.ThrowIfNull(network);
            var file = SafeTensorsFile.Read(path);
            var differences = new List<string>();
            var values = new List<(Parameter Target, SafeTensor Source, float[]? Converted)>();
            var notLoaded = new List<string>();
            var used = new HashSet<string>(StringComparer.Ordinal);
            foreach (var parameter in Tensors(network))
            {
                if (!file.TryGetValue(parameter.Name, out var tensor))
                {
                    differences.Add($"'{parameter.Name}' [{Dimensions(parameter.Shape)}] is missing from the file");
                    notLoaded.Add(parameter.Name);
                    continue;
                }

                used.Add(parameter.Name);
                if (tensor.DType is not (SafeTensorDType.F32 or SafeTensorDType.F64 or SafeTensorDType.F16 or SafeTensorDType.BF16))
                {
                    differences.Add($"'{parameter.Name}' has dtype {tensor.DType} in the file; expected a floating-point type (F32, F64, F16 or BF16)");
                    notLoaded.Add(parameter.Name);
                }
                else if (!tensor.HasShape(parameter.Shape))
                {
                    differences.Add($"'{parameter.Name}' has shape [{Dimensions(tensor.Shape)}] in the file but [{Dimensions(parameter.Shape)}] in the network");
                    notLoaded.Add(parameter.Name);
                }
                else
                {
                    // F32 is written from the file's bytes; other dtypes are converted now, so writing cannot fail halfway.
                    values.Add((parameter, tensor, tensor.TryReadFloatsInPlace(out _) ? null : tensor.ToFloatArray()));
                }
            }

            var ignored = new List<string>();
            foreach (var name in file.Keys.Where(n => !used.Contains(n)).OrderBy(n => n, StringComparer.Ordinal))
            {
                if (IsBatchCounter(network, name))
                {
                    var tensor = file[name];
                    if (tensor.Shape.Length == 0 && tensor.DType == SafeTensorDType.I64)
                    {
                        ignored.Add(name);
                        continue;
                    }

                    differences.Add($"'{name}' is {tensor.DType} [{Dimensions(tensor.Shape)}] in the file; BatchNorm's batch counter should be an I64 scalar");
                }
                else
                {
                    differences.Add($"'{name}' is in the file but not in the network");
                }
            }

            var loaded = values.Select(v => v.Target.Name).ToList();
            var report = new LoadReport(
                loaded,
                notLoaded,
                file.Keys.Except(loaded).Except(ignored).OrderBy(n => n, StringComparer.Ordinal).ToList(),
                ignored,
                differences);
            if (strict && differences.Count > 0)
            {
                throw new InvalidDataException(
                    $"'{path}' does not match the network ({differences.Count} difference{LoadReport.Plural(differences.Count)}); nothing was loaded "
                    + "(Load(path, strict: false) loads the tensors that match):"
                    + Environment.NewLine + "  - " + string.Join(Environment.NewLine + "  - ", differences));
            }

            foreach (var (target, source, converted) in values)
            {
                if (converted is not null)
                {
                    target.Write(converted);
                }
                else if (source.TryReadFloatsInPlace(out var floats))
                {
                    target.Write(floats);
                }
            }

            (network as Networks.IPackedWeights)?.PackWeights();

            return report;
        }

        private static IEnumerable<Parameter> Tensors(INetwork network) => network.Parameters.Concat(network.Buffers);

        /// <summary>Whether <paramref name="name"/> is <c>&lt;bn&gt;.num_batches_tracked</c> for a BatchNorm <c>&lt;bn&gt;</c> of the network.</summary>
        private static bool IsBatchCounter(INetwork network, string name) =>
            name.EndsWith(BatchCounter, StringComparison.Ordinal)
            && network.Buffers.TryGet(name.Substring(0, name.Length - BatchCounter.Length) + ".running_mean", out _);

        private static string Dimensions(int[] shape) => string.Join(", ", shape);
    }
}
