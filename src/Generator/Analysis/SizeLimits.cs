using System.Collections.Generic;
using System.Globalization;
using ConvGen.Generator.Diagnostics;
using ConvGen.Generator.Layers;
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
            var limits = new LayerLimits(layer, index, shape, problems);
            if (limits.Fits("its output " + shape.Out, shape.Out.Length))
            {
                LayerKinds.Of(layer).CheckSizes(layer, limits);
            }
        }

        /// <summary>What a kind's <see cref="LayerKind.CheckSizes"/> checks its own arrays and windows with, reporting to the analysis.</summary>
        internal sealed class LayerLimits
        {
            private readonly LayerModel _layer;
            private readonly int _index;
            private readonly List<Problem> _problems;

            public LayerLimits(LayerModel layer, int index, LayerShape shape, List<Problem> problems)
            {
                _layer = layer;
                _index = index;
                Shape = shape;
                _problems = problems;
            }

            public LayerShape Shape { get; }

            /// <summary>True when an array of <paramref name="length"/> floats fits .NET; otherwise reports <paramref name="what"/> (CG0046).</summary>
            public bool Fits(string what, long length)
            {
                if (length <= MaxArrayLength)
                {
                    return true;
                }

                _problems.Add(Problem.Create(
                    DiagnosticCatalog.BufferTooLarge.Id, _index, null, "Layer '" + _layer.Name + "' (" + _layer.Kind + ") on input " + Shape.In, what, Count(length)));
                return false;
            }

            /// <summary>True when the input padded as the shape says is indexable with <c>int</c>; otherwise reports it on <paramref name="property"/> (CG0047).</summary>
            public bool PaddedFits(string property)
            {
                var height = (long)Shape.In.Height + Shape.Padding.Top + Shape.Padding.Bottom;
                var width = (long)Shape.In.Width + Shape.Padding.Left + Shape.Padding.Right;
                if (height <= int.MaxValue && width <= int.MaxValue)
                {
                    return true;
                }

                _problems.Add(Problem.Create(
                    DiagnosticCatalog.PaddedInputTooLarge.Id, _index, property, _layer.Name, _layer.Kind, Shape.In.ToString(),
                    Count(height) + "×" + Count(width)));
                return false;
            }
        }

        /// <summary>"1,256,080".</summary>
        internal static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
    }
}
