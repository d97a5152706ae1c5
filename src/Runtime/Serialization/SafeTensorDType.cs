using System;

namespace ConvGen.Serialization
{
    /// <summary>The element types of the safetensors format, by the names its header uses, and their sizes.</summary>
    public static class SafeTensorDType
    {
        /// <summary>IEEE 754 double.</summary>
        public const string F64 = "F64";

        /// <summary>IEEE 754 single.</summary>
        public const string F32 = "F32";

        /// <summary>IEEE 754 half.</summary>
        public const string F16 = "F16";

        /// <summary>bfloat16 (the upper half of a single).</summary>
        public const string BF16 = "BF16";

        /// <summary>Signed 64-bit integer.</summary>
        public const string I64 = "I64";

        /// <summary>Signed 32-bit integer.</summary>
        public const string I32 = "I32";

        /// <summary>Signed 16-bit integer.</summary>
        public const string I16 = "I16";

        /// <summary>Signed 8-bit integer.</summary>
        public const string I8 = "I8";

        /// <summary>Unsigned 64-bit integer.</summary>
        public const string U64 = "U64";

        /// <summary>Unsigned 32-bit integer.</summary>
        public const string U32 = "U32";

        /// <summary>Unsigned 16-bit integer.</summary>
        public const string U16 = "U16";

        /// <summary>Unsigned 8-bit integer.</summary>
        public const string U8 = "U8";

        /// <summary>Boolean, one byte per element.</summary>
        public const string Bool = "BOOL";

        /// <summary>Bytes per element of <paramref name="dtype"/>, or 0 if the name is not a known type.</summary>
        public static int SizeOf(string dtype) => dtype switch
        {
            F64 or I64 or U64 => 8,
            F32 or I32 or U32 => 4,
            F16 or BF16 or I16 or U16 => 2,
            I8 or U8 or Bool => 1,
            _ => 0,
        };

        /// <summary>Whether <paramref name="dtype"/> names a known type (names are case-sensitive, as in the format).</summary>
        public static bool IsKnown(string dtype) => SizeOf(dtype) != 0;

        internal static int RequireKnown(string dtype, string tensorName)
        {
            var size = SizeOf(dtype);
            return size != 0
                ? size
                : throw new ArgumentException($"Tensor '{tensorName}' has unknown dtype '{dtype}'.", nameof(dtype));
        }
    }
}
