using System;
using System.IO;
using System.IO.Compression;
using ConvGen.Data;

namespace ConvGen.Runtime.Tests.Data
{
    public class IdxTests
    {
        private static readonly byte[] ValidLabels = { 0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 9 };

        [Theory]
        [InlineData("labels.idx")]
        [InlineData("labels.idx.gz")]
        public void Writes_and_reads_back(string name)
        {
            using var folder = new TemporaryFolder();
            var data = new byte[2 * 3 * 4];
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = (byte)(i * 11);
            }

            IdxWriter.Write(folder.File(name), new IdxArray(new[] { 2, 3, 4 }, data));
            var read = IdxReader.Read(folder.File(name));
            Assert.Equal(new[] { 2, 3, 4 }, read.Dimensions);
            Assert.Equal(data, read.Data.ToArray());
            var raw = File.ReadAllBytes(folder.File(name));
            Assert.Equal(name.EndsWith(".gz"), raw[0] == 0x1F && raw[1] == 0x8B);
        }

        [Fact]
        public void Reads_the_documented_layout()
        {
            using var folder = new TemporaryFolder();
            File.WriteAllBytes(folder.File("plain"), ValidLabels);
            var read = IdxReader.Read(folder.File("plain"));
            Assert.Equal(new[] { 3 }, read.Dimensions);
            Assert.Equal(new byte[] { 7, 2, 9 }, read.Data.ToArray());
        }

        public static TheoryData<byte[], string> Malformed => new()
        {
            { new byte[] { 0, 0, 8 }, "truncated" },
            { new byte[] { 1, 0, 8, 1, 0, 0, 0, 0 }, "not an IDX file" },
            { new byte[] { 0, 0, 0x0D, 1, 0, 0, 0, 0 }, "element type is 0x0D" },
            { new byte[] { 0, 0, 8, 0 }, "zero dimensions" },
            { new byte[] { 0, 0, 8, 2, 0, 0, 0, 3 }, "truncated" },
            { new byte[] { 0, 0, 8, 1, 0, 0, 0, 3, 7, 2 }, "need 3 data bytes, but only 2" },
            { new byte[] { 0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 9, 4, 4 }, "2 unexpected bytes" },
            { new byte[] { 0, 0, 8, 3, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 1 }, "more data than an array can hold" },
            { new byte[] { 0, 0, 8, 2, 0, 1, 0, 0, 0, 1, 0, 0 }, "more data than an array can hold" },
        };

        [Theory]
        [MemberData(nameof(Malformed))]
        public void Malformed_files_name_the_file_and_the_problem(byte[] contents, string problem)
        {
            using var folder = new TemporaryFolder();
            var path = folder.File("bad-idx1-ubyte");
            File.WriteAllBytes(path, contents);
            var exception = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));
            Assert.Contains(path, exception.Message);
            Assert.Contains(problem, exception.Message);
        }

        [Fact]
        public void Truncated_and_corrupt_gzip_is_reported()
        {
            using var folder = new TemporaryFolder();
            var path = folder.File("labels.gz");
            IdxWriter.Write(path, new IdxArray(new[] { 1000 }, new byte[1000]));
            var whole = File.ReadAllBytes(path);

            File.WriteAllBytes(path, whole.AsSpan(0, whole.Length / 2).ToArray());
            Assert.Contains(path, Assert.Throws<InvalidDataException>(() => IdxReader.Read(path)).Message);

            var corrupt = (byte[])whole.Clone();
            for (var i = 10; i < corrupt.Length - 8; i++)
            {
                corrupt[i] ^= 0x5A;
            }

            File.WriteAllBytes(path, corrupt);
            Assert.Contains(path, Assert.Throws<InvalidDataException>(() => IdxReader.Read(path)).Message);
        }

        [Fact]
        public void A_gzipped_file_with_a_short_body_is_rejected_after_decompression()
        {
            using var folder = new TemporaryFolder();
            var path = folder.File("short.gz");
            using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
            {
                gzip.Write(ValidLabels, 0, ValidLabels.Length - 1);
            }

            var exception = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));
            Assert.Contains("truncated", exception.Message);
        }
    }
}
