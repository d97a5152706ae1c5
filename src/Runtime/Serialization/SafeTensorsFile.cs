using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ConvGen.Serialization
{
    /// <summary>
    /// Reads and writes the safetensors format: an 8-byte little-endian header length N, N bytes of UTF-8 JSON mapping each tensor name
    /// to <c>{"dtype", "shape", "data_offsets": [begin, end]}</c> (offsets relative to the end of the header) plus an optional
    /// <c>"__metadata__"</c> object of strings, then the tensors' little-endian bytes, contiguous, without gaps or overlaps.
    /// </summary>
    public static class SafeTensorsFile
    {
        /// <summary>The header key that holds the string-to-string metadata.</summary>
        public const string MetadataKey = "__metadata__";

        /// <summary>The largest header accepted, as in the reference implementation (100 MB).</summary>
        private const ulong MaximumHeaderLength = 100_000_000;

        /// <summary>Headers are padded with spaces to a multiple of this many bytes, as the reference writer does.</summary>
        private const int HeaderAlignment = 8;

        /// <summary>Reads every tensor of the file at <paramref name="path"/>, by name.</summary>
        /// <exception cref="InvalidDataException">The file is malformed; the message names the file and, where it applies, the tensor.</exception>
        public static IReadOnlyDictionary<string, SafeTensor> Read(string path) => Read(path, out _);

        /// <summary>Reads every tensor of the file at <paramref name="path"/>, by name, and the header's metadata (empty when there is none).</summary>
        /// <exception cref="InvalidDataException">The file is malformed; the message names the file and, where it applies, the tensor.</exception>
        public static IReadOnlyDictionary<string, SafeTensor> Read(string path, out IReadOnlyDictionary<string, string> metadata)
        {
            ArgumentNullException.ThrowIfNull(path);
            var bytes = File.ReadAllBytes(path);
            if (bytes.Length < 8)
            {
                throw Invalid(path, $"it holds {bytes.Length} bytes, fewer than the 8-byte header length");
            }

            var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            if (headerLength > (ulong)(bytes.Length - 8))
            {
                throw Invalid(path, $"the header length {headerLength} exceeds the {bytes.Length - 8} bytes that follow it (truncated file?)");
            }

            if (headerLength > MaximumHeaderLength)
            {
                throw Invalid(path, $"the header length {headerLength} exceeds the limit of {MaximumHeaderLength} bytes");
            }

            var header = bytes.AsSpan(8, (int)headerLength);
            var data = bytes.AsSpan(8 + (int)headerLength);
            var entries = new List<HeaderEntry>();
            var metadataValues = new Dictionary<string, string>(StringComparer.Ordinal);
            try
            {
                ParseHeader(header, path, entries, metadataValues);
            }
            catch (Exception exception) when (exception is JsonException or InvalidOperationException)
            {
                throw new InvalidDataException($"safetensors file '{path}' is not valid: its header is not valid JSON ({exception.Message}).", exception);
            }

            var tensors = new Dictionary<string, SafeTensor>(StringComparer.Ordinal);
            long expectedBegin = 0;
            foreach (var entry in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
            {
                var size = SafeTensorDType.SizeOf(entry.DType);
                if (size == 0)
                {
                    throw Invalid(path, $"tensor '{entry.Name}' has unknown dtype '{entry.DType}'");
                }

                if (entry.Begin != expectedBegin || entry.End < entry.Begin)
                {
                    throw Invalid(path, $"tensor '{entry.Name}' has data_offsets [{entry.Begin}, {entry.End}], but the next tensor must start at {expectedBegin} (gap or overlap)");
                }

                if (entry.End > data.Length)
                {
                    throw Invalid(path, $"tensor '{entry.Name}' has data_offsets [{entry.Begin}, {entry.End}] beyond the {data.Length} data bytes (truncated file?)");
                }

                long count;
                try
                {
                    count = checked(SafeTensor.ElementCountOf(entry.Shape, entry.Name) * size);
                }
                catch (OverflowException)
                {
                    throw Invalid(path, $"tensor '{entry.Name}' has shape [{string.Join(", ", entry.Shape)}], whose size overflows");
                }

                if (count != entry.End - entry.Begin)
                {
                    throw Invalid(path, $"tensor '{entry.Name}' ({entry.DType} [{string.Join(", ", entry.Shape)}]) needs {count} bytes but its data_offsets span {entry.End - entry.Begin}");
                }

                var tensorData = data.Slice((int)entry.Begin, (int)(entry.End - entry.Begin)).ToArray();
                tensors.Add(entry.Name, new SafeTensor(entry.Name, entry.DType, entry.Shape, tensorData));
                expectedBegin = entry.End;
            }

            if (expectedBegin != data.Length)
            {
                throw Invalid(path, $"the tensors cover {expectedBegin} bytes but {data.Length} data bytes follow the header");
            }

            metadata = metadataValues;
            return tensors;
        }

        /// <summary>
        /// Writes <paramref name="tensors"/> (in the order given, contiguous) and <paramref name="metadata"/> to <paramref name="path"/>.
        /// The file is written to a short-named temporary file in the same folder, flushed to disk and then moved over
        /// <paramref name="path"/> (and on Linux the folder is flushed too, so the rename survives a power cut): a failure
        /// part-way never damages an existing file, and the temporary file is removed on failure.
        /// </summary>
        /// <exception cref="IOException">Writing failed; the message names <paramref name="path"/> (a subclass where the cause has one).</exception>
        public static void Write(string path, IEnumerable<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
        {
            ArgumentNullException.ThrowIfNull(path);
            ArgumentNullException.ThrowIfNull(tensors);
            var fullPath = Path.GetFullPath(path);
            var folder = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' does not name a file.", nameof(path));

            // Everything that can fail without touching the disk happens first.
            var list = new List<SafeTensor>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var tensor in tensors)
            {
                ArgumentNullException.ThrowIfNull(tensor, nameof(tensors));
                if (!names.Add(tensor.Name))
                {
                    throw new ArgumentException($"Two tensors are named '{tensor.Name}'.", nameof(tensors));
                }

                list.Add(tensor);
            }

            var header = Header(list, metadata);
            string? temporary = null;
            try
            {
                using (var stream = CreateTemporary(folder, out temporary))
                {
                    Span<byte> length = stackalloc byte[8];
                    BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
                    stream.Write(length);
                    stream.Write(header);
                    foreach (var tensor in list)
                    {
                        stream.Write(tensor.Data);
                    }

                    stream.Flush(flushToDisk: true);
                }

                File.Move(temporary, fullPath, overwrite: true);
                temporary = null;
                FolderFlush.Flush(folder, fullPath);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                if (temporary is not null && File.Exists(temporary))
                {
                    File.Delete(temporary);
                }

                throw SaveFailed(fullPath, temporary, exception);
            }
        }

        /// <summary>A new file named <c>.cg</c> + 8 hex digits + <c>.tmp</c>: 15 characters whatever the target's name, so a long legal name still fits.</summary>
        private static FileStream CreateTemporary(string folder, out string temporary)
        {
            for (var attempt = 0; ; attempt++)
            {
                temporary = Path.Combine(folder, ".cg" + Random.Shared.Next().ToString("x8", System.Globalization.CultureInfo.InvariantCulture) + ".tmp");
                try
                {
                    return new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                }
                catch (IOException) when (attempt < 8 && File.Exists(temporary))
                {
                    // Another writer's temporary file has this name: draw another.
                }
            }
        }

        /// <summary>The exception to report: same kind as <paramref name="cause"/>, naming the target rather than the temporary file.</summary>
        private static Exception SaveFailed(string fullPath, string? temporary, Exception cause)
        {
            var reason = temporary is null ? cause.Message : cause.Message.Replace(temporary, fullPath, StringComparison.Ordinal);
            var message = $"Could not save '{fullPath}': {reason}";
            return cause switch
            {
                DirectoryNotFoundException => new DirectoryNotFoundException(message, cause),
                PathTooLongException => new PathTooLongException(message, cause),
                UnauthorizedAccessException => new UnauthorizedAccessException(message, cause),
                _ => new IOException(message, cause),
            };
        }

        /// <summary>The JSON header, padded with spaces to a multiple of <see cref="HeaderAlignment"/> bytes.</summary>
        private static byte[] Header(List<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata)
        {
            var buffer = new ArrayBufferWriter<byte>();
            using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                json.WriteStartObject();
                if (metadata is not null)
                {
                    json.WriteStartObject(MetadataKey);
                    foreach (var (key, value) in metadata)
                    {
                        json.WriteString(key, value);
                    }

                    json.WriteEndObject();
                }

                long offset = 0;
                foreach (var tensor in tensors)
                {
                    json.WriteStartObject(tensor.Name);
                    json.WriteString("dtype", tensor.DType);
                    json.WriteStartArray("shape");
                    foreach (var dimension in tensor.Shape)
                    {
                        json.WriteNumberValue(dimension);
                    }

                    json.WriteEndArray();
                    json.WriteStartArray("data_offsets");
                    json.WriteNumberValue(offset);
                    offset += tensor.Data.Length;
                    json.WriteNumberValue(offset);
                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                json.WriteEndObject();
            }

            var padded = (buffer.WrittenCount + HeaderAlignment - 1) / HeaderAlignment * HeaderAlignment;
            var header = new byte[padded];
            buffer.WrittenSpan.CopyTo(header);
            header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
            return header;
        }

        private static void ParseHeader(ReadOnlySpan<byte> header, string path, List<HeaderEntry> entries, Dictionary<string, string> metadata)
        {
            var reader = new Utf8JsonReader(header, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw Invalid(path, "its header is not a JSON object");
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            var sawMetadata = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                if (name == MetadataKey)
                {
                    if (sawMetadata)
                    {
                        throw Invalid(path, $"its header has two {MetadataKey} entries");
                    }

                    sawMetadata = true;
                    ParseMetadata(ref reader, path, metadata);
                    continue;
                }

                if (name.Length == 0)
                {
                    throw Invalid(path, "a tensor in its header has an empty name");
                }

                if (!seen.Add(name))
                {
                    throw Invalid(path, $"tensor '{name}' appears twice in the header");
                }

                entries.Add(ParseTensor(ref reader, path, name));
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                throw Invalid(path, "its header has content after the top-level JSON object");
            }
        }

        private static void ParseMetadata(ref Utf8JsonReader reader, string path, Dictionary<string, string> metadata)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw Invalid(path, $"{MetadataKey} is not a JSON object");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = reader.GetString()!;
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    throw Invalid(path, $"metadata entry '{key}' is not a string");
                }

                if (!metadata.TryAdd(key, reader.GetString()!))
                {
                    throw Invalid(path, $"metadata entry '{key}' appears twice");
                }
            }
        }

        private static HeaderEntry ParseTensor(ref Utf8JsonReader reader, string path, string name)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw Invalid(path, $"the header entry of tensor '{name}' is not a JSON object");
            }

            string? dtype = null;
            int[]? shape = null;
            long[]? offsets = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = reader.GetString();
                reader.Read();
                switch (field)
                {
                    case "dtype":
                        dtype = reader.TokenType == JsonTokenType.String
                            ? reader.GetString()
                            : throw Invalid(path, $"tensor '{name}' has a dtype that is not a string");
                        break;
                    case "shape":
                        shape = ReadIntegers(ref reader, path, name, "shape", int.MaxValue).Select(d => (int)d).ToArray();
                        break;
                    case "data_offsets":
                        offsets = ReadIntegers(ref reader, path, name, "data_offsets", long.MaxValue);
                        if (offsets.Length != 2)
                        {
                            throw Invalid(path, $"tensor '{name}' has {offsets.Length} data_offsets; expected [begin, end]");
                        }

                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            return new HeaderEntry(
                name,
                dtype ?? throw Invalid(path, $"tensor '{name}' has no dtype"),
                shape ?? throw Invalid(path, $"tensor '{name}' has no shape"),
                offsets?[0] ?? throw Invalid(path, $"tensor '{name}' has no data_offsets"),
                offsets[1]);
        }

        private static long[] ReadIntegers(ref Utf8JsonReader reader, string path, string name, string field, long maximum)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw Invalid(path, $"tensor '{name}' has a {field} that is not an array");
            }

            var values = new List<long>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value) || value < 0 || value > maximum)
                {
                    throw Invalid(path, $"tensor '{name}' has a {field} entry that is not an integer in [0, {maximum}]");
                }

                values.Add(value);
            }

            return values.ToArray();
        }

        private static InvalidDataException Invalid(string path, string problem) =>
            new($"safetensors file '{path}' is not valid: {problem}.");

        /// <summary>One tensor's header entry, before its data is checked.</summary>
        private readonly record struct HeaderEntry(string Name, string DType, int[] Shape, long Begin, long End);
    }
}
