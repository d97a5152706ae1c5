using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using ConvGen.Serialization;

namespace ConvGen.Runtime.Tests.SafeTensors
{
    public class SafeTensorsFileTests
    {
        private static SafeTensor[] SampleTensors() => new[]
        {
            SafeTensor.FromFloats("conv1.weight", new[] { 2, 1, 2, 2 }, new[] { 1f, -2f, 3.5f, 0.1f, 5f, 6f, -7f, 8e-20f }),
            SafeTensor.FromFloats("conv1.bias", new[] { 2 }, new[] { 0.25f, float.MaxValue }),
            SafeTensor.FromInt64s("bn.num_batches_tracked", Array.Empty<int>(), new[] { 1234567890123L }),
            new SafeTensor("mask", SafeTensorDType.U8, new[] { 3 }, new byte[] { 0, 1, 255 }),
        };

        /// <summary>Builds a file from a header and a data section, with the header length prefix.</summary>
        private static byte[] Craft(string header, int dataBytes)
        {
            var json = Encoding.UTF8.GetBytes(header);
            var file = new byte[8 + json.Length + dataBytes];
            BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
            json.CopyTo(file, 8);
            return file;
        }

        [Fact]
        public void Round_trips_tensors_and_metadata()
        {
            using var folder = new TemporaryFolder();
            var path = folder.File("model.safetensors");
            var metadata = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcode \"quoted\" <ok>" };
            SafeTensorsFile.Write(path, SampleTensors(), metadata);

            var read = SafeTensorsFile.Read(path, out var readMetadata);
            Assert.Equal(metadata, readMetadata);
            Assert.Equal(4, read.Count);
            foreach (var original in SampleTensors())
            {
                var copy = read[original.Name];
                Assert.Equal(original.DType, copy.DType);
                Assert.Equal(original.Shape, copy.Shape);
                Assert.Equal(original.Data.ToArray(), copy.Data.ToArray());
            }

            Assert.Equal(new[] { 1f, -2f, 3.5f, 0.1f, 5f, 6f, -7f, 8e-20f }, read["conv1.weight"].ToFloatArray());
            Assert.Equal(new[] { 1234567890123L }, read["bn.num_batches_tracked"].ToInt64Array());
            Assert.Equal(new[] { 0, 1, 255 }, read["mask"].ToInt32Array());
            Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp"));
        }

        [Fact]
        public void Written_files_follow_the_layout_of_the_reference_writer()
        {
            using var folder = new TemporaryFolder();
            var path = folder.File("model.safetensors");
            SafeTensorsFile.Write(path, SampleTensors(), new Dictionary<string, string> { ["format"] = "pt" });
            var bytes = File.ReadAllBytes(path);

            var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            Assert.Equal(0, headerLength % 8);
            var header = Encoding.UTF8.GetString(bytes, 8, headerLength);
            var json = header.TrimEnd(' ');
            Assert.True(header.Length - json.Length < 8, "padding is shorter than the alignment");
            Assert.EndsWith("}", json);
            Assert.DoesNotContain(" ", json.Replace("\"", "")); // compact JSON, like serde_json
            Assert.StartsWith("{\"__metadata__\":{\"format\":\"pt\"},\"conv1.weight\":{\"dtype\":\"F32\",\"shape\":[2,1,2,2],\"data_offsets\":[0,32]}", json);

            using var document = JsonDocument.Parse(json);
            long expectedBegin = 0;
            var names = new List<string>();
            foreach (var entry in document.RootElement.EnumerateObject().Where(e => e.Name != "__metadata__"))
            {
                var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(o => o.GetInt64()).ToArray();
                Assert.Equal(expectedBegin, offsets[0]);
                expectedBegin = offsets[1];
                names.Add(entry.Name);
            }

            Assert.Equal(SampleTensors().Select(t => t.Name), names);
            Assert.Equal(bytes.Length - 8 - headerLength, expectedBegin);
        }

        [Fact]
        public void Rewriting_a_reference_file_reproduces_it_byte_for_byte()
        {
            var reference = RepositoryPaths.Combine("tests", "ConvGen.Runtime.Tests", "SafeTensors", "reference-f32-i64.safetensors");
            var tensors = SafeTensorsFile.Read(reference, out var metadata);
            using var folder = new TemporaryFolder();
            var path = folder.File("copy.safetensors");
            var inFileOrder = new[] { "num_batches_tracked", "conv1.bias", "conv1.weight" }.Select(n => tensors[n]);
            SafeTensorsFile.Write(path, inFileOrder, new SortedDictionary<string, string>(metadata.ToDictionary(p => p.Key, p => p.Value)));
            Assert.Equal(File.ReadAllBytes(reference), File.ReadAllBytes(path));
        }

        public static TheoryData<string, string, int, string> MalformedHeaders => new()
        {
            { "not JSON", "{\"a\": ", 0, "not valid JSON" },
            { "not an object", "[1, 2]", 0, "not a JSON object" },
            { "unknown dtype", "{\"w\":{\"dtype\":\"F31\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "tensor 'w' has unknown dtype 'F31'" },
            { "missing offsets", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4, "tensor 'w' has no data_offsets" },
            { "negative dimension", "{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4, "tensor 'w' has a shape entry" },
            { "shape and bytes disagree", "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4, "tensor 'w' (F32 [2]) needs 8 bytes" },
            {
                "overlap",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
                8, "gap or overlap"
            },
            {
                "gap",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}",
                12, "tensor 'b' has data_offsets [8, 12]"
            },
            { "data not covered", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 12, "cover 4 bytes but 12 data bytes" },
            { "offsets beyond the data", "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8, "tensor 'w' has data_offsets [0, 16] beyond the 8 data bytes" },
            { "duplicate tensor", "{\"w\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0,0]},\"w\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0,0]}}", 0, "tensor 'w' appears twice" },
            { "empty tensor name", "{\"\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "a tensor in its header has an empty name" },
            { "non-string metadata", "{\"__metadata__\":{\"epoch\":3}}", 0, "metadata entry 'epoch' is not a string" },
        };

        [Theory]
        [MemberData(nameof(MalformedHeaders))]
        public void Malformed_files_name_the_file_and_the_problem(string description, string header, int dataBytes, string problem)
        {
            using var folder = new TemporaryFolder();
            var path = folder.File(description.Replace(' ', '-') + ".safetensors");
            File.WriteAllBytes(path, Craft(header, dataBytes));
            var exception = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Read(path));
            Assert.Contains(path, exception.Message);
            Assert.Contains(problem, exception.Message);
        }

        [Fact]
        public void Truncated_files_are_rejected()
        {
            using var folder = new TemporaryFolder();
            var path = folder.File("model.safetensors");
            SafeTensorsFile.Write(path, SampleTensors());
            var whole = File.ReadAllBytes(path);

            File.WriteAllBytes(path, whole.AsSpan(0, whole.Length - 1).ToArray());
            Assert.Contains("tensor 'mask'", Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Read(path)).Message);

            File.WriteAllBytes(path, whole.AsSpan(0, 40).ToArray());
            Assert.Contains("exceeds the 32 bytes", Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Read(path)).Message);

            File.WriteAllBytes(path, whole.AsSpan(0, 5).ToArray());
            Assert.Contains("fewer than the 8-byte header length", Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Read(path)).Message);
        }

        [Fact]
        public void An_interrupted_write_leaves_the_previous_file_and_no_temporary_file()
        {
            using var folder = new TemporaryFolder();
            var path = folder.File("model.safetensors");
            SafeTensorsFile.Write(path, SampleTensors());
            var before = File.ReadAllBytes(path);

            IEnumerable<SafeTensor> FailingMidway()
            {
                yield return SafeTensor.FromFloats("first", new[] { 1 }, new[] { 1f });
                throw new IOException("simulated failure while producing tensors");
            }

            Assert.Throws<IOException>(() => SafeTensorsFile.Write(path, FailingMidway()));
            Assert.Equal(before, File.ReadAllBytes(path));
            Assert.Equal(new[] { path }, Directory.GetFiles(folder.Path));
        }

        [Fact]
        public void Writing_into_a_missing_folder_reports_the_folder()
        {
            using var folder = new TemporaryFolder();
            var path = Path.Combine(folder.Path, "absent", "x.safetensors");
            var exception = Assert.Throws<DirectoryNotFoundException>(() => SafeTensorsFile.Write(path, SampleTensors()));
            Assert.StartsWith("Could not save '" + path + "': ", exception.Message);
            Assert.DoesNotContain(".tmp", exception.Message);
        }

        [Fact]
        public void A_long_legal_file_name_saves_and_reads_back()
        {
            // 250 characters: the longest names most Linux file systems take are 255, so a temporary name that
            // embedded the target's would not fit.
            using var folder = new TemporaryFolder();
            var path = folder.File(new string('n', 250 - ".safetensors".Length) + ".safetensors");
            SafeTensorsFile.Write(path, SampleTensors());
            Assert.Equal(SampleTensors().Select(t => t.Name).OrderBy(n => n), SafeTensorsFile.Read(path).Keys.OrderBy(n => n));
            Assert.Equal(new[] { path }, Directory.GetFiles(folder.Path));
        }

        [Fact]
        public void A_failed_move_names_the_target_file_not_the_temporary_one()
        {
            using var folder = new TemporaryFolder();
            var path = folder.File("model.safetensors");
            Directory.CreateDirectory(path);
            File.WriteAllText(Path.Combine(path, "occupied"), "a folder in the way");
            var exception = Assert.ThrowsAny<IOException>(() => SafeTensorsFile.Write(path, SampleTensors()));
            Assert.StartsWith("Could not save '" + path + "': ", exception.Message);
            Assert.DoesNotContain(".cg", exception.Message);
            Assert.Equal(new[] { path }, Directory.GetFileSystemEntries(folder.Path));
        }

        [Fact]
        public void Duplicate_names_are_rejected_on_write()
        {
            using var folder = new TemporaryFolder();
            var tensor = SafeTensor.FromFloats("w", new[] { 1 }, new[] { 1f });
            var exception = Assert.Throws<ArgumentException>(() => SafeTensorsFile.Write(folder.File("x.safetensors"), new[] { tensor, tensor }));
            Assert.Contains("'w'", exception.Message);
            Assert.Empty(Directory.GetFiles(folder.Path));
        }

        [Fact]
        public void Tensors_check_their_byte_length_and_conversions()
        {
            Assert.Throws<ArgumentException>(() => new SafeTensor("w", SafeTensorDType.F32, new[] { 2 }, new byte[4]));
            Assert.Throws<ArgumentException>(() => new SafeTensor("w", "F31", new[] { 1 }, new byte[4]));
            Assert.Throws<ArgumentException>(() => new SafeTensor("__metadata__", SafeTensorDType.U8, new[] { 1 }, new byte[1]));
            var floats = SafeTensor.FromFloats("w", new[] { 1 }, new[] { 1f });
            Assert.Throws<InvalidOperationException>(() => floats.ToInt64Array());
            Assert.Throws<InvalidOperationException>(() => SafeTensor.FromInt64s("n", new[] { 1 }, new[] { 1L }).ToFloatArray());
            Assert.Throws<OverflowException>(() => SafeTensor.FromInt64s("n", new[] { 1 }, new[] { 1L << 40 }).ToInt32Array());
        }

        [Fact]
        public void F32_tensors_are_read_in_place_and_other_dtypes_are_not()
        {
            var values = new[] { 1f, -2.5f, float.NaN, -0f, float.MaxValue };
            Assert.True(SafeTensor.FromFloats("w", new[] { 5 }, values).TryReadFloatsInPlace(out var floats) == BitConverter.IsLittleEndian);
            if (BitConverter.IsLittleEndian)
            {
                Assert.Equal(values, floats.ToArray());
            }

            // F16 1.0 and −2.0: converted by ToFloatArray, never reinterpreted.
            var half = new SafeTensor("h", SafeTensorDType.F16, new[] { 2 }, new byte[] { 0x00, 0x3C, 0x00, 0xC0 });
            Assert.False(half.TryReadFloatsInPlace(out _));
            Assert.Equal(new[] { 1f, -2f }, half.ToFloatArray());
            Assert.False(SafeTensor.FromInt64s("n", new[] { 1 }, new[] { 1L }).TryReadFloatsInPlace(out _));
        }
    }
}
