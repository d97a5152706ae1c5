using System;
using System.Collections.Generic;
using System.IO;

namespace ConvGen.Samples
{
    /// <summary>Finds the repository's shipped <c>data/mnist</c> folder.</summary>
    public static class MnistFolder
    {
        /// <summary>
        /// The first <c>data/mnist</c> found walking up from the current directory, then from the application's own folder
        /// (so both <c>dotnet run</c> from anywhere in the repository and the built executable find it); null when there is none.
        /// </summary>
        public static string? Find()
        {
            foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            {
                foreach (var folder in SelfAndAncestors(start))
                {
                    var candidate = Path.Combine(folder, "data", "mnist");
                    if (Directory.Exists(candidate))
                    {
                        return candidate;
                    }
                }
            }

            return null;
        }

        private static IEnumerable<string> SelfAndAncestors(string path)
        {
            for (var directory = new DirectoryInfo(path); directory is not null; directory = directory.Parent)
            {
                yield return directory.FullName;
            }
        }
    }
}
