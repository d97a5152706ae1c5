using System;
using System.IO;
using System.Runtime.InteropServices;

namespace ConvGen.Serialization
{
    /// <summary>
    /// Flushes a folder's entries to disk on Linux (open + fsync of the folder): after a rename, this is what makes the
    /// new name durable. Elsewhere a no-op (Windows and macOS make <c>File.Move</c> durable enough, and have no such call).
    /// </summary>
    internal static partial class FolderFlush
    {
        private const int ReadOnly = 0;
        private const int InvalidArgument = 22; // EINVAL: the file system cannot sync folders, so there is nothing to do

        public static void Flush(string folder, string savedPath)
        {
            if (!OperatingSystem.IsLinux())
            {
                return;
            }

            var descriptor = Open(folder, ReadOnly);
            if (descriptor < 0)
            {
                throw new IOException($"'{savedPath}' was written, but its folder could not be opened to flush the new name to disk (errno {Marshal.GetLastPInvokeError()}).");
            }

            try
            {
                if (Sync(descriptor) != 0)
                {
                    var error = Marshal.GetLastPInvokeError();
                    if (error != InvalidArgument)
                    {
                        throw new IOException($"'{savedPath}' was written, but flushing its folder to disk failed (errno {error}).");
                    }
                }
            }
            finally
            {
                _ = Close(descriptor);
            }
        }

        [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        private static partial int Open(string path, int flags);

        [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
        private static partial int Sync(int descriptor);

        [LibraryImport("libc", EntryPoint = "close")]
        private static partial int Close(int descriptor);
    }
}
