using System;
using System.Buffers.Binary;
using System.Linq;
using ConvGen.Onnx.Protobuf;

namespace ConvGen.Onnx
{
    /// <summary>An initializer or <c>Constant</c> value, decoded: its dims and its elements as floats or 64-bit integers.</summary>
    internal sealed class ConstantTensor
    {
        private ConstantTensor(string name, long[] dims, float[]? floats, long[]? integers)
        {
            Name = name;
            Dims = dims;
            Floats = floats;
            Integers = integers;
        }

        public string Name { get; }

        public long[] Dims { get; }

        /// <summary>The elements of a FLOAT (or DOUBLE) tensor; null for integer tensors.</summary>
        public float[]? Floats { get; }

        /// <summary>The elements of an INT64 or INT32 tensor; null for float tensors.</summary>
        public long[]? Integers { get; }

        public long ElementCount => Floats?.Length ?? Integers!.Length;

        public string DimsText => "[" + string.Join(", ", Dims) + "]";

        /// <summary>Decodes <paramref name="tensor"/>; a size that does not match its dims, external data or an unknown type is an <see cref="OnnxImportException"/>.</summary>
        public static ConstantTensor Decode(TensorProto tensor, string what)
        {
            var dims = tensor.Dims.ToArray();
            if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
            {
                throw new OnnxImportException($"{what} '{tensor.Name}' keeps its data in an external file; ConvGen imports models with their weights inside the .onnx file.");
            }

            long count = 1;
            foreach (var dim in dims)
            {
                if (dim < 0)
                {
                    throw new OnnxImportException($"{what} '{tensor.Name}' has a negative dimension in {Text(dims)}.");
                }

                count = dim == 0 || count <= int.MaxValue / dim ? count * dim : throw SizeLimit(tensor.Name, what, dims);
            }

            var raw = tensor.HasRawData ? tensor.RawData.Span : ReadOnlySpan<byte>.Empty;
            switch ((TensorProto.Types.DataType)tensor.DataType)
            {
                case TensorProto.Types.DataType.Float:
                    var floats = new float[count];
                    if (tensor.HasRawData)
                    {
                        RequireLength(tensor.Name, what, dims, raw.Length, count * 4, "bytes");
                        for (var i = 0; i < floats.Length; i++)
                        {
                            floats[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.Slice(i * 4));
                        }
                    }
                    else
                    {
                        RequireLength(tensor.Name, what, dims, tensor.FloatData.Count, count, "float_data elements");
                        tensor.FloatData.CopyTo(floats, 0);
                    }

                    return new ConstantTensor(tensor.Name, dims, floats, null);
                case TensorProto.Types.DataType.Double:
                    var doubles = new float[count];
                    if (tensor.HasRawData)
                    {
                        RequireLength(tensor.Name, what, dims, raw.Length, count * 8, "bytes");
                        for (var i = 0; i < doubles.Length; i++)
                        {
                            doubles[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(raw.Slice(i * 8));
                        }
                    }
                    else
                    {
                        RequireLength(tensor.Name, what, dims, tensor.DoubleData.Count, count, "double_data elements");
                        for (var i = 0; i < doubles.Length; i++)
                        {
                            doubles[i] = (float)tensor.DoubleData[i];
                        }
                    }

                    return new ConstantTensor(tensor.Name, dims, doubles, null);
                case TensorProto.Types.DataType.Int64:
                    var longs = new long[count];
                    if (tensor.HasRawData)
                    {
                        RequireLength(tensor.Name, what, dims, raw.Length, count * 8, "bytes");
                        for (var i = 0; i < longs.Length; i++)
                        {
                            longs[i] = BinaryPrimitives.ReadInt64LittleEndian(raw.Slice(i * 8));
                        }
                    }
                    else
                    {
                        RequireLength(tensor.Name, what, dims, tensor.Int64Data.Count, count, "int64_data elements");
                        tensor.Int64Data.CopyTo(longs, 0);
                    }

                    return new ConstantTensor(tensor.Name, dims, null, longs);
                case TensorProto.Types.DataType.Int32:
                    var ints = new long[count];
                    if (tensor.HasRawData)
                    {
                        RequireLength(tensor.Name, what, dims, raw.Length, count * 4, "bytes");
                        for (var i = 0; i < ints.Length; i++)
                        {
                            ints[i] = BinaryPrimitives.ReadInt32LittleEndian(raw.Slice(i * 4));
                        }
                    }
                    else
                    {
                        RequireLength(tensor.Name, what, dims, tensor.Int32Data.Count, count, "int32_data elements");
                        for (var i = 0; i < ints.Length; i++)
                        {
                            ints[i] = tensor.Int32Data[i];
                        }
                    }

                    return new ConstantTensor(tensor.Name, dims, null, ints);
                default:
                    throw new OnnxImportException(
                        $"{what} '{tensor.Name}' has ONNX data type {tensor.DataType}; ConvGen reads FLOAT, DOUBLE, INT64 and INT32 tensors.");
            }
        }

        private static void RequireLength(string name, string what, long[] dims, long actual, long expected, string unit)
        {
            if (actual != expected)
            {
                throw new OnnxImportException($"{what} '{name}' has {actual} {unit} but its dims {Text(dims)} need {expected}; the file is damaged or inconsistent.");
            }
        }

        private static OnnxImportException SizeLimit(string name, string what, long[] dims) =>
            new($"{what} '{name}' {Text(dims)} has more than {int.MaxValue:N0} elements, more than a ConvGen network can hold.");

        private static string Text(long[] dims) => "[" + string.Join(", ", dims) + "]";
    }
}
