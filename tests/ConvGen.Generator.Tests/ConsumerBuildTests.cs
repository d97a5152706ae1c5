using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.CompilerServices;

namespace ConvGen.Generator.Tests
{
    /// <summary>
    /// End to end, as a user meets it: a project that references ConvGen and declares a network with a shape bug fails
    /// `dotnet build`, with the diagnostic on the attribute's line; the fixed declaration builds.
    /// </summary>
    public sealed class ConsumerBuildTests
    {
#if DEBUG
        private const string Configuration = "Debug";
#else
        private const string Configuration = "Release";
#endif

        [Fact]
        public void A_wrong_network_fails_dotnet_build_on_the_attribute_line_and_the_fix_builds()
        {
            var folder = Directory.CreateTempSubdirectory("convgen-consumer-");
            try
            {
                var src = Path.Combine(RepositoryRoot(), "src");
                File.WriteAllText(Path.Combine(folder.FullName, "Consumer.csproj"), $"""
                    <Project Sdk="Microsoft.NET.Sdk">
                      <PropertyGroup>
                        <TargetFramework>net10.0</TargetFramework>
                        <OutputType>Library</OutputType>
                      </PropertyGroup>
                      <ItemGroup>
                        <ProjectReference Include="{src}/Runtime/ConvGen.Runtime.csproj" />
                        <ProjectReference Include="{src}/Generator/ConvGen.Generator.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
                      </ItemGroup>
                    </Project>
                    """);
                var network = Path.Combine(folder.FullName, "Network.cs");
                File.WriteAllText(network, Declaration(flatten: false));
                var (exitCode, output) = Build(folder.FullName);
                Assert.NotEqual(0, exitCode);
                Assert.True(output.Contains("Network.cs(7,6): error CG0009: Layer 'dense1' (Dense) reads the spatial shape 4x12x12", StringComparison.Ordinal), output);

                File.WriteAllText(network, Declaration(flatten: true));
                (exitCode, output) = Build(folder.FullName);
                Assert.True(exitCode == 0, output);
            }
            finally
            {
                folder.Delete(recursive: true);
            }
        }

        private static string Declaration(bool flatten) => string.Join("\n",
            "using ConvGen;",
            "namespace Consumer",
            "{",
            "    [Input(1, 28, 28)]",
            "    [Conv2D(4, 5)]",
            "    [MaxPool2D(2)]" + (flatten ? " [Flatten]" : string.Empty),
            "    [Dense(10)]",
            "    public partial class Net { }",
            "}",
            string.Empty);

        private static (int ExitCode, string Output) Build(string folder)
        {
            var start = new ProcessStartInfo("dotnet", $"build -c {Configuration} --nologo -clp:NoSummary")
            {
                WorkingDirectory = folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output + error.Result);
        }

        private static string RepositoryRoot([CallerFilePath] string file = "") =>
            Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, "..", ".."));
    }
}
