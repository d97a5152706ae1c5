using System;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace ConvGen.SideBySide
{
    /// <summary>
    /// bench/models: each network's weights (&lt;network&gt;.safetensors) and ONNX file (&lt;network&gt;.onnx), written by
    /// bench/pytorch/export_models.py and loaded by all three sides. The files are generated, not committed.
    /// </summary>
    internal sealed class ModelFiles
    {
        public const string ExportCommand = "/usr/bin/python3 bench/pytorch/export_models.py";

        private readonly string _folder;

        private ModelFiles(string folder) => _folder = folder;

        public string Folder => _folder;

        public string Weights(string network) => Path.Combine(_folder, network + ".safetensors");

        public string Onnx(string network) => Path.Combine(_folder, network + ".onnx");

        public bool Complete => BenchNetwork.All.All(n => File.Exists(Weights(n.Name)) && File.Exists(Onnx(n.Name)));

        /// <summary>
        /// The folder under <paramref name="repositoryRoot"/>; when files are missing it runs the export script once
        /// (when <paramref name="mayExport"/>). <paramref name="status"/> says what happened, and how to fix it if it failed.
        /// </summary>
        public static ModelFiles Open(string repositoryRoot, bool mayExport, out string status)
        {
            var files = new ModelFiles(Path.Combine(repositoryRoot, "bench", "models"));
            if (files.Complete)
            {
                status = "shared weights and ONNX files from bench/models";
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

            status = files.Complete
                ? "shared weights and ONNX files written to bench/models by " + ExportCommand
                : "bench/models has no weights/ONNX files and they could not be made, so ONNX Runtime and PyTorch are skipped and ConvGen "
                  + "uses its own init. Make them with `" + ExportCommand + "` (needs apt-get install python3-torch python3-onnx).";
            return files;
        }
    }
}
