using System;
using System.IO;
using System.Text.Json;

namespace ConvGen.TorchSharpSide
{
    /// <summary>One JSON object per line on stdout, as bench_torch.py prints them; NaN (no check file) is written as null.</summary>
    internal static class Json
    {
        public static void Emit(params (string Name, object? Value)[] fields)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                writer.WriteStartObject();
                foreach (var (name, value) in fields)
                {
                    switch (value)
                    {
                        case string text: writer.WriteString(name, text); break;
                        case bool flag: writer.WriteBoolean(name, flag); break;
                        case int count: writer.WriteNumber(name, count); break;
                        case long count: writer.WriteNumber(name, count); break;
                        case double number when double.IsFinite(number): writer.WriteNumber(name, number); break;
                        case double: writer.WriteNull(name); break;
                        default: throw new ArgumentException($"Field {name}: unsupported value {value}.");
                    }
                }

                writer.WriteEndObject();
            }

            Console.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        }
    }
}
