using System;
using System.IO;
using System.Runtime.CompilerServices;

namespace ConvGen.Onnx.Tests
{
    /// <summary>
    /// Text snapshots in Verify's layout, kept by hand: <c>Snapshots/{TestFile}.{Method}.verified.{ext}</c> next to the test file.
    /// A mismatch writes <c>.received.</c> beside it and fails; <c>CONVGEN_ACCEPT_SNAPSHOTS=1</c> overwrites the verified file instead.
    /// </summary>
    internal static class Snapshot
    {
        public static void Verify(string actual, string extension, [CallerFilePath] string testFile = "", [CallerMemberName] string method = "")
        {
            actual = actual.Replace("\r\n", "\n");
            var folder = Path.Combine(Path.GetDirectoryName(testFile)!, "Snapshots");
            var stem = Path.Combine(folder, Path.GetFileNameWithoutExtension(testFile) + "." + method);
            var verified = stem + ".verified." + extension;
            var received = stem + ".received." + extension;
            var expected = File.Exists(verified) ? File.ReadAllText(verified).Replace("\r\n", "\n") : null;
            if (expected == actual)
            {
                File.Delete(received);
                return;
            }

            Directory.CreateDirectory(folder);
            if (Environment.GetEnvironmentVariable("CONVGEN_ACCEPT_SNAPSHOTS") == "1")
            {
                File.WriteAllText(verified, actual);
                File.Delete(received);
                return;
            }

            File.WriteAllText(received, actual);
            Assert.Fail((expected is null ? "No snapshot " : "Snapshot mismatch: ") + verified + "\nReceived: " + received + " (accept with CONVGEN_ACCEPT_SNAPSHOTS=1)");
        }
    }
}
