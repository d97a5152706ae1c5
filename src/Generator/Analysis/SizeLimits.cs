using System.Collections.Generic;
using System.Globalization;
using ConvGen.Generator.Diagnostics;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Analysis
{
    /// <summary>
    /// The sizes the generated code allocates and indexes, checked in 64-bit arithmetic once shape inference has passed:
    /// each array it allocates (activations, im2col scratch, parameters) must fit a .NET array (CG0046), and each padded
    /// input a conv or pooling window walks must be indexable with <c>int</c> (CG0047). What passes here cannot wrap in
    /// the emitted <c>int</c> arithmetic: every offset and loop bound is below one of these sizes.
    /// </summary>
    internal static class SizeLimits
    {
        /// <summary>The most elements a .NET array of float holds (<c>Array.MaxLength</c>, not in netstandard2.0).</summary>
        public const long MaxArrayLength = 0x7FFFFFC7;

        /// <summary>Adds the size problems of an error-free analysis to it; an analysis with errors is returned as it is.</summary>
        public static NetworkAnalysis Apply(NetworkModel network, NetworkAnalysis analysis)
        {
            if (analysis.HasErrors)
            {
                return analysis;
            }

            var problems = new List<Problem>(analysis.Problems);
            if (network.Input.Length > MaxArrayLength)
            {
                problems.Add(Problem.Create(
                    DiagnosticCatalog.BufferTooLarge.Id, -1, null, "Network '" + network.ClassName + "'", "its input " + network.Input, Count(network.Input.Length)));
                return analysis with { Problems = new EquatableArray<Problem>(problems) };
            }

            for (var i = 0; i < network.Layers.Count; i++)
            {
                Check(network.Layers[i], i, analysis.Layers[i], problems);
            }

            if (analysis.TotalParameters > MaxArrayLength)
            {
                problems.Add(Problem.Create(
                    DiagnosticCatalog.BufferTooLarge.Id, -1, null, "Network '" + network.ClassName + "'", "its parameters", Count(analysis.TotalParameters)));
            }

            return problems.Count == analysis.Problems.Count ? analysis : analysis with { Problems = new EquatableArray<Problem>(problems) };
        }

        private static void Check(LayerModel layer, int index, LayerShape shape, List<Problem> problems)
        {
            var where = "Layer '" + layer.Name + "' (" + layer.Kind + ") on input " + shape.In;
            if (shape.Out.Length > MaxArrayLength)
            {
                problems.Add(Problem.Create(DiagnosticCatalog.BufferTooLarge.Id, index, null, where, "its output " + shape.Out, Count(shape.Out.Length)));
                return;
            }

            switch (layer)
            {
                case Conv2DLayer conv:
                    if (PaddedFits(layer, index, shape, "Padding", problems))
                    {
                        // im2col: one row of output pixels per (input channel of a group, ky, kx) tap.
                        var taps = (long)(shape.In.Channels / conv.Groups) * conv.KernelHeight * conv.KernelWidth;
                        var pixels = (long)shape.Out.Height * shape.Out.Width;
                        if (taps * pixels > MaxArrayLength)
                        {
                            problems.Add(Problem.Create(
                                DiagnosticCatalog.BufferTooLarge.Id, index, null, where,
                                "its im2col scratch (" + Count(taps) + " taps × " + Count(pixels) + " output pixels)", Count(taps * pixels)));
                        }
                    }

                    break;
                case Pool2DLayer:
                    PaddedFits(layer, index, shape, "Padding", problems);
                    break;
            }
        }

        private static bool PaddedFits(LayerModel layer, int index, LayerShape shape, string property, List<Problem> problems)
        {
            var height = (long)shape.In.Height + shape.Padding.Top + shape.Padding.Bottom;
            var width = (long)shape.In.Width + shape.Padding.Left + shape.Padding.Right;
            if (height <= int.MaxValue && width <= int.MaxValue)
            {
                return true;
            }

            problems.Add(Problem.Create(
                DiagnosticCatalog.PaddedInputTooLarge.Id, index, property, layer.Name, layer.Kind, shape.In.ToString(),
                Count(height) + "×" + Count(width)));
            return false;
        }

        private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
    }
}
