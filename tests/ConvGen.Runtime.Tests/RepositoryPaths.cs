using System;
using System.IO;

namespace ConvGen.Runtime.Tests
{
    /// <summary>Finds files committed to the repository from the test's output folder.</summary>
    internal static class RepositoryPaths
    {
        /// <summary>The folder holding ConvGen.sln.</summary>
        public static string Root { get; } = FindRoot();

        /// <summary>A path below the repository root.</summary>
        public static string Combine(params string[] parts) => Path.Combine(Root, Path.Combine(parts));

        private static string FindRoot()
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "ConvGen.sln")))
                {
                    return folder.FullName;
                }
            }

            throw new DirectoryNotFoundException($"No ConvGen.sln above {AppContext.BaseDirectory}.");
        }
    }
}
