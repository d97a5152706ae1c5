using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace ConvGen.Data
{
    /// <summary>Writes IDX files of unsigned bytes, the format <see cref="IdxReader"/> reads.</summary>
    public static class IdxWriter
    {
        /// <summary>
        /// Writes <paramref name="array"/> to <paramref name="path"/>, gzip-compressed when the path ends in <c>.gz</c>, otherwise plain.
        /// An existing file is replaced.
        /// </summary>
        public static void Write(string path, IdxArray array)
        {
            ArgumentNullException.ThrowIfNull(path);
            ArgumentNullException.ThrowIfNull(array);
            using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
            if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
            {
                using var gzip = new GZipStream(file, CompressionLevel.Optimal);
                WriteContents(gzip, array);
            }
            else
            {
                WriteContents(file, array);
            }
        }

        private static void WriteContents(Stream stream, IdxArray array)
        {
            Span<byte> word = stackalloc byte[4];
            word[0] = 0;
            word[1] = 0;
            word[2] = IdxReader.UnsignedByteType;
            word[3] = (byte)array.Rank;
            stream.Write(word);
            for (var i = 0; i < array.Rank; i++)
            {
                BinaryPrimitives.WriteInt32BigEndian(word, array.Dimension(i));
                stream.Write(word);
            }

            stream.Write(array.Data);
        }
    }
}
