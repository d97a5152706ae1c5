using System;
using System.Collections.Generic;
using System.Globalization;
using ConvGen.Generator.Analysis;
using ConvGen.Generator.Diagnostics;
using ConvGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generator.Layers
{
    /// <summary>What a kind's shape rule (<see cref="LayerKind.Infer"/>) works from: the shapes of its inputs, and where its problems go.</summary>
    internal sealed class ShapeContext
    {
        private readonly List<Problem> _problems;

        public ShapeContext(int index, IReadOnlyList<LayerShape> sources, NetworkModel network, List<Problem> problems)
        {
            Index = index;
            Sources = sources;
            Network = network;
            _problems = problems;
        }

        /// <summary>The layer's position in the network (-1 for the <c>[Input]</c>).</summary>
        public int Index { get; }

        /// <summary>What shape inference worked out for each value the layer reads, in order.</summary>
        public IReadOnlyList<LayerShape> Sources { get; }

        public NetworkModel Network { get; }

        /// <summary>The first (for all but merges, the only) input's inference.</summary>
        public LayerShape Source => Sources[0];

        /// <summary>The shape the layer reads (its first input's).</summary>
        public Shape Input => Source.Out;

        /// <summary>Reports a problem with this layer; <paramref name="property"/> is the argument at fault, or null for the attribute.</summary>
        public void Report(DiagnosticDescriptor descriptor, string? property, params object[] arguments) =>
            _problems.Add(Problem.Create(descriptor.Id, Index, property, arguments));

        /// <summary>The input's shape, its padding and counts cleared: for layers that keep or only reshape what they read.</summary>
        public LayerShape Passthrough(Shape output) => Passthrough(Source, output);

        public static LayerShape Passthrough(LayerShape source, Shape output) =>
            source with { In = source.Out, Out = output, Padding = Padding.None, Parameters = 0, MultiplyAdds = 0 };

        /// <summary>A merge's shape: it reads its first input's shape; its receptive field and jump are the largest of its inputs'.</summary>
        public LayerShape Merge(Shape output)
        {
            var merged = Passthrough(output);
            foreach (var source in Sources)
            {
                merged = merged with
                {
                    ReceptiveFieldHeight = Math.Max(merged.ReceptiveFieldHeight, source.ReceptiveFieldHeight),
                    ReceptiveFieldWidth = Math.Max(merged.ReceptiveFieldWidth, source.ReceptiveFieldWidth),
                    JumpHeight = Math.Max(merged.JumpHeight, source.JumpHeight),
                    JumpWidth = Math.Max(merged.JumpWidth, source.JumpWidth),
                };
            }

            return merged;
        }

        /// <summary>"'a' 128×14×14, 'b' 64×28×28": each input a merge reads, with its shape.</summary>
        public string InputList(LayerModel layer)
        {
            var items = new string[Sources.Count];
            for (var i = 0; i < items.Length; i++)
            {
                items[i] = "'" + layer.Inputs[i] + "' " + Sources[i].Out;
            }

            return string.Join(", ", items);
        }

        /// <summary>True when <paramref name="value"/> is at least <paramref name="minimum"/>; otherwise reports CG0011.</summary>
        public bool Positive(LayerModel layer, string property, int value, int minimum) => Positive(layer.Name, layer.Kind, property, value, minimum);

        public bool Positive(string name, string kind, string property, int value, int minimum)
        {
            if (value >= minimum)
            {
                return true;
            }

            Report(DiagnosticCatalog.NonPositiveArgument, property, name, kind, property, minimum, value);
            return false;
        }

        /// <summary>True when the input is spatial; otherwise reports that the layer needs one.</summary>
        public bool RequireSpatial(LayerModel layer)
        {
            if (!Input.IsFlat)
            {
                return true;
            }

            Report(DiagnosticCatalog.NeedsSpatialInput, null, layer.Name, layer.Kind, Input.ToString());
            return false;
        }

        /// <summary>True when <paramref name="value"/> is a named member of its enum (a cast can write any number).</summary>
        public bool Defined<TEnum>(LayerModel layer, string property, TEnum value)
            where TEnum : struct, Enum
        {
            if (Enum.IsDefined(typeof(TEnum), value))
            {
                return true;
            }

            Report(
                DiagnosticCatalog.InvalidNumber, property, layer.Name, layer.Kind, property,
                Convert.ToInt32(value, CultureInfo.InvariantCulture), "it must be one of the named " + property + " values");
            return false;
        }

        /// <summary>
        /// True when <paramref name="activation"/> is a named <see cref="Activation"/> this layer can fuse: Softmax normalizes
        /// over all outputs, which only Dense's row is (<paramref name="softmax"/>); otherwise reports which.
        /// </summary>
        public bool Fusable(LayerModel layer, Activation activation, bool softmax)
        {
            if (!Defined(layer, nameof(Conv2DAttribute.Activation), activation))
            {
                return false;
            }

            if (activation == Activation.Softmax && !softmax)
            {
                Report(DiagnosticCatalog.SoftmaxActivationNotDense, nameof(Conv2DAttribute.Activation), layer.Name, layer.Kind);
                return false;
            }

            return true;
        }

        /// <summary>True when <paramref name="valid"/>; otherwise reports that <paramref name="value"/> is not a number the option takes.</summary>
        public bool Number(LayerModel layer, string property, float value, bool valid, string requirement)
        {
            if (!valid)
            {
                Report(DiagnosticCatalog.InvalidNumber, property, layer.Name, layer.Kind, property, value, requirement);
            }

            return valid;
        }

        /// <summary>
        /// Warns when the stride leaves input rows (not only padding) after the last window unread. A stride longer than the
        /// window skips rows between windows everywhere (ResNet's 1×1 stride-2 shortcut), so the last ones are not singled out.
        /// </summary>
        public void WarnUnread(LayerModel layer, string property, long stride, long padded, long padAfter, long extent, long unread, string axis)
        {
            if (unread > padAfter && stride <= extent)
            {
                var kept = ((padded - extent) / stride) + 1;
                var exact = (((double)(padded - extent) / stride) + 1).ToString("0.##", CultureInfo.InvariantCulture);
                if (!exact.Contains("."))
                {
                    // Two decimals would round a fraction as small as 1/stride away: write it exactly.
                    exact = Literal(kept) + " + " + Literal(unread) + "/" + Literal(stride);
                }

                var first = padded - unread;
                Report(
                    DiagnosticCatalog.StrideDoesNotFit, property, layer.Name, layer.Kind,
                    padded, extent, stride, exact,
                    Count(kept, axis),
                    unread == 1 ? axis : Count(unread, axis),
                    unread == 1 ? "index " + Literal(first) : "indices " + Literal(first) + "–" + Literal(padded - 1));
            }
        }

        /// <summary>"1 row", "2 rows".</summary>
        private static string Count(long count, string axis) => Literal(count) + " " + axis + (count == 1 ? string.Empty : "s");

        public static string Literal(long value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
