using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace ConvGen.Data
{
    /// <summary>
    /// Reads IDX files (the format of the MNIST distribution): a big-endian magic number <c>00 00 08 d</c> (unsigned bytes, d dimensions),
    /// d big-endian 32-bit sizes, then the data. Files starting with the gzip signature <c>1F 8B</c> are decompressed first.
    /// </summary>
    public static class IdxReader
    {
        /// <summary>The IDX type code for unsigned bytes, the only element type supported.</summary>
        public const byte UnsignedByteType = 0x08;

        /// <summary>
        /// Reads the whole file. Anything malformed — a wrong magic number, an unsupported element type, a truncated header or body,
        /// dimensions whose product overflows, bytes after the data, a corrupt gzip stream — throws <see cref="InvalidDataException"/>
        /// naming the file and the problem; no partial result is ever returned.
        /// </summary>
        public static IdxArray Read(string path)
        {
            ArgumentNullException.ThrowIfNull(path);
            var bytes = ReadDecompressed(path);
            if (bytes.Length < 4)
            {
                throw Invalid(path, $"it is truncated: {bytes.Length} bytes, too short for the 4-byte magic number");
            }

            if (bytes[0] != 0 || bytes[1] != 0)
            {
                throw Invalid(path, $"the magic number 0x{BinaryPrimitives.ReadUInt32BigEndian(bytes):X8} does not start with two zero bytes, so this is not an IDX file");
            }

            if (bytes[2] != UnsignedByteType)
            {
                throw Invalid(path, $"its element type is 0x{bytes[2]:X2}; only unsigned bytes (0x08) are supported");
            }

            var rank = bytes[3];
            if (rank == 0)
            {
                throw Invalid(path, "it declares zero dimensions");
            }

            var headerLength = 4 + 4 * rank;
            if (bytes.Length < headerLength)
            {
                throw Invalid(path, $"it is truncated: {rank} dimensions need a {headerLength}-byte header, but the file holds {bytes.Length} bytes");
            }

            var dimensions = new int[rank];
            long product = 1;
            for (var i = 0; i < rank; i++)
            {
                var size = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(4 + 4 * i));
                product *= size;
                if (size > int.MaxValue || product > Array.MaxLength)
                {
                    throw Invalid(path, $"its dimensions (dimension {i} is {size}) describe more data than an array can hold");
                }

                dimensions[i] = (int)size;
            }

            var available = bytes.Length - headerLength;
            if (available < product)
            {
                throw Invalid(path, $"it is truncated: dimensions [{string.Join(", ", dimensions)}] need {product} data bytes, but only {available} follow the header");
            }

            if (available > product)
            {
                throw Invalid(path, $"{available - product} unexpected bytes follow the {product} data bytes of dimensions [{string.Join(", ", dimensions)}]");
            }

            return new IdxArray(dimensions, bytes.AsSpan(headerLength).ToArray());
        }

        private static byte[] ReadDecompressed(string path)
        {
            var raw = File.ReadAllBytes(path);
            if (raw.Length < 2 || raw[0] != 0x1F || raw[1] != 0x8B)
            {
                return raw;
            }

            try
            {
                using var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
                using var output = new MemoryStream();
                gzip.CopyTo(output);
                return output.ToArray();
            }
            catch (InvalidDataException exception)
            {
                throw new InvalidDataException($"IDX file '{path}' is not valid: its gzip stream is corrupt ({exception.Message}).", exception);
            }
        }

        private static InvalidDataException Invalid(string path, string problem) =>
            new($"IDX file '{path}' is not valid: {problem}.");
    }
}
