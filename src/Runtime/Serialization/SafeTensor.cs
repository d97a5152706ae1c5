using System;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace ConvGen.Serialization
{
    /// <summary>One named tensor of a safetensors file: its dtype, shape and raw little-endian bytes.</summary>
    public sealed class SafeTensor
    {
        private readonly int[] _shape;
        private readonly byte[] _data;

        /// <summary>
        /// Wraps (without copying) <paramref name="data"/>, which must hold exactly (product of <paramref name="shape"/>) ×
        /// (size of <paramref name="dtype"/>) bytes. An empty shape is a scalar (one element).
        /// </summary>
        public SafeTensor(string name, string dtype, int[] shape, byte[] data)
        {
            ArgumentNullException.ThrowIfNull(name);
            ArgumentNullException.ThrowIfNull(dtype);
            ArgumentNullException.ThrowIfNull(shape);
            ArgumentNullException.ThrowIfNull(data);
            if (name.Length == 0 || name == SafeTensorsFile.MetadataKey)
            {
                throw new ArgumentException($"'{name}' cannot name a tensor.", nameof(name));
            }

            var size = SafeTensorDType.RequireKnown(dtype, name);
            var count = ElementCountOf(shape, name);
            if (count * size != data.Length)
            {
                throw new ArgumentException(
                    $"Tensor '{name}' ({dtype} [{string.Join(", ", shape)}]) needs {count * size} bytes but {data.Length} were given.", nameof(data));
            }

            Name = name;
            DType = dtype;
            _shape = (int[])shape.Clone();
            _data = data;
        }

        /// <summary>The tensor's name (a key of the file's header).</summary>
        public string Name { get; }

        /// <summary>The element type, e.g. <see cref="SafeTensorDType.F32"/>.</summary>
        public string DType { get; }

        /// <summary>The shape (a copy).</summary>
        public int[] Shape => (int[])_shape.Clone();

        /// <summary>Elements (product of <see cref="Shape"/>).</summary>
        public long ElementCount => _data.Length / SafeTensorDType.SizeOf(DType);

        /// <summary>The raw little-endian bytes.</summary>
        public ReadOnlySpan<byte> Data => _data;

        /// <summary>Whether the shape equals <paramref name="shape"/>.</summary>
        public bool HasShape(ReadOnlySpan<int> shape) => shape.SequenceEqual(_shape);

        /// <summary>An F32 tensor holding a copy of <paramref name="values"/>.</summary>
        public static SafeTensor FromFloats(string name, int[] shape, ReadOnlySpan<float> values)
        {
            var data = new byte[checked(values.Length * sizeof(float))];
            for (var i = 0; i < values.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(i * sizeof(float)), values[i]);
            }

            return new SafeTensor(name, SafeTensorDType.F32, shape, data);
        }

        /// <summary>An I64 tensor holding a copy of <paramref name="values"/>.</summary>
        public static SafeTensor FromInt64s(string name, int[] shape, ReadOnlySpan<long> values)
        {
            var data = new byte[checked(values.Length * sizeof(long))];
            for (var i = 0; i < values.Length; i++)
            {
                BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(i * sizeof(long)), values[i]);
            }

            return new SafeTensor(name, SafeTensorDType.I64, shape, data);
        }

        /// <summary>
        /// The elements read in place as floats when the tensor is F32 on a little-endian machine (its bytes are the floats),
        /// else false: <see cref="ToFloatArray"/> converts.
        /// </summary>
        public bool TryReadFloatsInPlace(out ReadOnlySpan<float> values)
        {
            var inPlace = DType == SafeTensorDType.F32 && BitConverter.IsLittleEndian;
            values = inPlace ? MemoryMarshal.Cast<byte, float>(Data) : default;
            return inPlace;
        }

        /// <summary>The elements as floats: F32 as is, F64 / F16 / BF16 converted (F64 rounds to the nearest float).</summary>
        public float[] ToFloatArray()
        {
            var result = new float[ElementCount];
            var data = Data;
            switch (DType)
            {
                case SafeTensorDType.F32 when BitConverter.IsLittleEndian:
                    MemoryMarshal.Cast<byte, float>(data.Slice(0, result.Length * 4)).CopyTo(result); // the file's bytes are the floats
                    break;
                case SafeTensorDType.F32:
                    for (var i = 0; i < result.Length; i++)
                    {
                        result[i] = BinaryPrimitives.ReadSingleLittleEndian(data.Slice(i * 4));
                    }

                    break;
                case SafeTensorDType.F64:
                    for (var i = 0; i < result.Length; i++)
                    {
                        result[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(data.Slice(i * 8));
                    }

                    break;
                case SafeTensorDType.F16:
                    for (var i = 0; i < result.Length; i++)
                    {
                        result[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(data.Slice(i * 2));
                    }

                    break;
                case SafeTensorDType.BF16:
                    for (var i = 0; i < result.Length; i++)
                    {
                        result[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(i * 2)) << 16);
                    }

                    break;
                default:
                    throw NotConvertible("floats", "F32, F64, F16 or BF16");
            }

            return result;
        }

        /// <summary>The elements as 64-bit integers: I64 as is; I32, I16, I8, U32, U16, U8 and BOOL widened.</summary>
        public long[] ToInt64Array()
        {
            if (!IsInteger || DType == SafeTensorDType.U64)
            {
                throw NotConvertible("64-bit integers", "I64, I32, I16, I8, U32, U16, U8 or BOOL");
            }

            var result = new long[ElementCount];
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = ReadInteger(i);
            }

            return result;
        }

        /// <summary>The elements as 32-bit integers: I32 as is; I16, I8, U16, U8 and BOOL widened; I64 checked to fit.</summary>
        public int[] ToInt32Array()
        {
            if (!IsInteger || DType is SafeTensorDType.U32 or SafeTensorDType.U64)
            {
                throw NotConvertible("32-bit integers", "I32, I64, I16, I8, U16, U8 or BOOL");
            }

            var result = new int[ElementCount];
            for (var i = 0; i < result.Length; i++)
            {
                var value = ReadInteger(i);
                if (value is < int.MinValue or > int.MaxValue)
                {
                    throw new OverflowException($"Tensor '{Name}': element {i} is {value}, which does not fit a 32-bit integer.");
                }

                result[i] = (int)value;
            }

            return result;
        }

        /// <summary>"name F32 [2, 3]".</summary>
        public override string ToString() => $"{Name} {DType} [{string.Join(", ", _shape)}]";

        internal static long ElementCountOf(ReadOnlySpan<int> shape, string name)
        {
            long count = 1;
            foreach (var dimension in shape)
            {
                if (dimension < 0)
                {
                    throw new ArgumentException($"Tensor '{name}' has a negative dimension in its shape [{string.Join(", ", shape.ToArray())}].", nameof(shape));
                }

                count = checked(count * dimension);
            }

            return count;
        }

        private bool IsInteger => DType is SafeTensorDType.I64 or SafeTensorDType.I32 or SafeTensorDType.I16 or SafeTensorDType.I8
            or SafeTensorDType.U64 or SafeTensorDType.U32 or SafeTensorDType.U16 or SafeTensorDType.U8 or SafeTensorDType.Bool;

        /// <summary>Element <paramref name="index"/> of an integer tensor other than U64, widened to a long.</summary>
        private long ReadInteger(int index)
        {
            var data = Data;
            return DType switch
            {
                SafeTensorDType.I64 => BinaryPrimitives.ReadInt64LittleEndian(data.Slice(index * 8)),
                SafeTensorDType.I32 => BinaryPrimitives.ReadInt32LittleEndian(data.Slice(index * 4)),
                SafeTensorDType.U32 => BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(index * 4)),
                SafeTensorDType.I16 => BinaryPrimitives.ReadInt16LittleEndian(data.Slice(index * 2)),
                SafeTensorDType.U16 => BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(index * 2)),
                SafeTensorDType.I8 => (sbyte)data[index],
                _ => data[index],
            };
        }

        private InvalidOperationException NotConvertible(string target, string accepted) =>
            new($"Tensor '{Name}' has dtype {DType}; only {accepted} can be read as {target}.");
    }
}
