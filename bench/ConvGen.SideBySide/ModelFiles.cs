using System;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace ConvGen.SideBySide
{
    /// <summary>
    /// bench/models: each network's weights (&lt;network&gt;.safetensors), ONNX file (&lt;network&gt;.onnx) and TorchScript module
    /// (&lt;network&gt;.pt, for TorchSharp), written by bench/pytorch/export_models.py and loaded by every side. The files are
    /// generated, not committed.
    /// </summary>
    internal sealed class ModelFiles
    {
        public const string ExportCommand = "/usr/bin/python3 bench/pytorch/export_models.py";

        private readonly string _folder;

        private ModelFiles(string folder) => _folder = folder;

        public string Folder => _folder;

        public string Weights(string network) => Path.Combine(_folder, network + ".safetensors");

        public string Onnx(string network) => Path.Combine(_folder, network + ".onnx");

        /// <summary>Whether <paramref name="network"/>'s weights, ONNX file and TorchScript modules (as traced and frozen) are all there.</summary>
        public bool Has(string network) =>
            File.Exists(Weights(network)) && File.Exists(Onnx(network)) && File.Exists(Path.Combine(_folder, network + ".pt")) && File.Exists(Path.Combine(_folder, network + ".frozen.pt"));

        public bool Complete => BenchNetwork.All.All(n => Has(n.Name));

        /// <summary>Whether any network has its files (the other sides can run at least on those).</summary>
        public bool Any => BenchNetwork.All.Any(n => Has(n.Name));

        /// <summary>
        /// The folder under <paramref name="repositoryRoot"/>; when files are missing it runs the export script once
        /// (when <paramref name="mayExport"/>). <paramref name="status"/> says what happened, and how to fix it if it failed.
        /// </summary>
        public static ModelFiles Open(string repositoryRoot, bool mayExport, out string status)
        {
            var files = new ModelFiles(Path.Combine(repositoryRoot, "bench", "models"));
            if (files.Complete)
            {
                status = "shared weights, ONNX and TorchScript files from bench/models";
                return files;
            }

            if (mayExport)
            {
                Console.Error.WriteLine("bench/models is incomplete; running: " + ExportCommand);
                var start = new ProcessStartInfo("/usr/bin/python3", "bench/pytorch/export_models.py") { WorkingDirectory = repositoryRoot };
                try
                {
                    using var process = Process.Start(start)!;
                    process.WaitForExit();
                }
                catch (System.ComponentModel.Win32Exception)
                {
                    // No python3: reported below.
                }
            }

            var missing = BenchNetwork.All.Where(n => !files.Has(n.Name)).Select(n => n.Name).ToList();
            status = missing.Count == 0
                ? "shared weights, ONNX and TorchScript files written to bench/models by " + ExportCommand
                : $"bench/models has no weights/ONNX/TorchScript files for {string.Join(", ", missing)} and they could not be made, so on those rows ONNX Runtime, "
                  + "PyTorch and TorchSharp are skipped and ConvGen uses its own init. Make them with `" + ExportCommand
                  + "` (needs apt-get install python3-torch python3-torchvision python3-onnx).";
            return files;
        }
    }
}
