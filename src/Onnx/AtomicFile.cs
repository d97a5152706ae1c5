using System;
using System.IO;

namespace ConvGen.Onnx
{
    /// <summary>Replaces a file all at once: the content goes to a temporary file in the same folder, is flushed, then moved over the target.</summary>
    internal static class AtomicFile
    {
        /// <summary>Writes <paramref name="path"/> with <paramref name="write"/>; on any failure the previous file is untouched and the temporary file removed.</summary>
        public static void Write(string path, Action<Stream> write)
        {
            ArgumentNullException.ThrowIfNull(path);
            var fullPath = Path.GetFullPath(path);
            var folder = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' does not name a file.", nameof(path));
            var temporary = Path.Combine(folder, "." + Path.GetFileName(fullPath) + "." + Guid.NewGuid().ToString("N") + ".tmp");
            try
            {
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    write(stream);
                    stream.Flush(flushToDisk: true);
                }

                File.Move(temporary, fullPath, overwrite: true);
            }
            catch
            {
                File.Delete(temporary);
                throw;
            }
        }
    }
}
