using System;
using System.Collections.Generic;
using System.Globalization;
using ConvGen.Generator.Diagnostics;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Analysis
{
    /// <summary>
    /// Infers every layer's output shape, padding, parameter count, multiply-adds and receptive field from a
    /// <see cref="NetworkModel"/>, and reports what does not fit. A pure function of the model.
    /// Output sizes follow PyTorch: floor((n + 2p − d(k−1) − 1)/s) + 1, ceil with CeilMode.
    /// Never throws: sizes are computed in checked 64-bit arithmetic, and anything that does not fit is a problem (CG0024).
    /// </summary>
    internal static class ShapeInference
    {
        public static NetworkAnalysis Infer(NetworkModel network)
        {
            var shapes = new List<LayerShape>();
            var problems = new List<Problem>();
            var byName = new Dictionary<string, LayerShape>(StringComparer.Ordinal);
            var input = new LayerShape(network.Input, network.Input, Padding.None, 0, 0, 1, 1, 1, 1);
            long totalParameters = 0;
            long totalMultiplyAdds = 0;
            if (!Positive("input", "Input", -1, "Channels", network.Input.Channels, 1, problems)
                || !Positive("input", "Input", -1, "Height", network.Input.Height, 1, problems)
                || !Positive("input", "Input", -1, "Width", network.Input.Width, 1, problems))
            {
                return new NetworkAnalysis(EquatableArray<LayerShape>.Empty, 0, 0, new EquatableArray<Problem>(problems));
            }

            if (Elements(network.Input) > int.MaxValue)
            {
                problems.Add(Problem.Create(
                    DiagnosticCatalog.LayerTooLarge.Id, -1, null, "input", "Input", network.Input.ToString(),
                    "it has " + Elements(network.Input).ToString("N0", CultureInfo.InvariantCulture) + " elements"));
                return new NetworkAnalysis(EquatableArray<LayerShape>.Empty, 0, 0, new EquatableArray<Problem>(problems));
            }

            for (var i = 0; i < network.Layers.Count; i++)
            {
                var layer = network.Layers[i];
                if (byName.ContainsKey(layer.Name))
                {
                    problems.Add(Problem.Create(DiagnosticCatalog.DuplicateLayerName.Id, i, "Name", layer.Name));
                    break;
                }

                var sources = new List<LayerShape>();
                foreach (var name in layer.Inputs)
                {
                    if ((name == LayerModel.NetworkInput ? input : byName.TryGetValue(name, out var found) ? found : null) is { } read)
                    {
                        sources.Add(read);
                    }
                }

                if (sources.Count == 0 || sources.Count != layer.Inputs.Count)
                {
                    // Inputs are resolved by the parser (GraphResolver reports any that name no earlier layer).
                    break;
                }

                var source = sources[0];
                LayerShape? shape;
                try
                {
                    shape = InferLayer(layer, i, sources, network, problems);
                    if (shape is not null)
                    {
                        totalParameters = checked(totalParameters + shape.Parameters);
                        totalMultiplyAdds = checked(totalMultiplyAdds + shape.MultiplyAdds);
                    }
                }
                catch (OverflowException)
                {
                    problems.Add(Problem.Create(
                        DiagnosticCatalog.LayerTooLarge.Id, i, null, layer.Name, layer.Kind, source.Out.ToString(), "a size or count it implies overflows"));
                    break;
                }

                if (shape is null)
                {
                    break;
                }

                if (Elements(shape.Out) > int.MaxValue)
                {
                    problems.Add(Problem.Create(
                        DiagnosticCatalog.LayerTooLarge.Id, i, null, layer.Name, layer.Kind, source.Out.ToString(),
                        "its output " + shape.Out.ToString() + " has " + Elements(shape.Out).ToString("N0", CultureInfo.InvariantCulture) + " elements"));
                    break;
                }

                CheckExpect(layer, i, source.Out, shape.Out, problems);
                shapes.Add(shape);
                byName[layer.Name] = shape;
            }

            WarnNeverRead(network, problems);
            if (shapes.Count == network.Layers.Count && problems.TrueForAll(p => DiagnosticCatalog.IsWarning(p.DescriptorId)))
            {
                if (totalParameters > int.MaxValue)
                {
                    problems.Add(Problem.Create(
                        DiagnosticCatalog.TooManyParameters.Id, -1, null, network.ClassName, totalParameters.ToString("N0", CultureInfo.InvariantCulture)));
                }
                else if (network.ExpectedParameters != 0 && network.ExpectedParameters != totalParameters)
                {
                    problems.Add(Problem.Create(
                        DiagnosticCatalog.ExpectedParametersMismatch.Id, -1, "ExpectedParameters",
                        network.ClassName, totalParameters.ToString("N0", CultureInfo.InvariantCulture),
                        network.ExpectedParameters.ToString("N0", CultureInfo.InvariantCulture)));
                }
            }

            return new NetworkAnalysis(
                new EquatableArray<LayerShape>(shapes), totalParameters, totalMultiplyAdds, new EquatableArray<Problem>(problems));
        }

        /// <summary>Parses an <c>Expect</c> string: "CxHxW" (x, X or ×, spaces allowed) or a single number.</summary>
        public static Shape? ParseExpect(string text)
        {
            var parts = text.Replace('×', 'x').Replace('X', 'x').Split('x');
            var numbers = new int[parts.Length];
            for (var i = 0; i < parts.Length; i++)
            {
                if (!int.TryParse(parts[i].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]) || numbers[i] <= 0)
                {
                    return null;
                }
            }

            return numbers.Length switch
            {
                1 => Shape.Flat(numbers[0]),
                3 => Shape.Spatial(numbers[0], numbers[1], numbers[2]),
                _ => null,
            };
        }

        /// <summary>One axis of a convolution or pooling window: output size and the rows/columns the stride leaves unread.</summary>
        public static (long Output, long Unread) WindowAxis(long size, long padBefore, long padAfter, long extent, long stride, bool ceilMode)
        {
            var span = size + padBefore + padAfter - extent;
            if (span < 0)
            {
                return (0, 0);
            }

            var steps = ceilMode ? (span + stride - 1) / stride : span / stride;
            if (ceilMode && steps * stride >= size + padBefore)
            {
                // PyTorch: the last window must start inside the input or its left padding.
                steps--;
            }

            return (steps + 1, ceilMode ? 0 : span % stride);
        }

        /// <summary>Same padding (Keras/TensorFlow): output = ceil(n/s); the odd extra pixel goes after.</summary>
        public static (long Before, long After) SamePadding(long size, long extent, long stride)
        {
            var output = (size + stride - 1) / stride;
            var total = Math.Max(((output - 1) * stride) + extent - size, 0L);
            return (total / 2, total - (total / 2));
        }

        /// <summary>Elements of a shape, as a double so that no int product can wrap.</summary>
        private static double Elements(Shape shape) => (double)shape.Channels * shape.Height * shape.Width;

        /// <summary>Receptive fields and jumps are informative only: they saturate instead of failing.</summary>
        private static int Saturate(double value) => value >= int.MaxValue ? int.MaxValue : (int)value;

        private static int ToInt(long value) => checked((int)value);

        private static LayerShape? InferLayer(LayerModel layer, int index, List<LayerShape> sources, NetworkModel network, List<Problem> problems)
        {
            var source = sources[0];
            var input = source.Out;
            switch (layer)
            {
                case AddLayer add:
                    return InferAdd(add, index, sources, problems);
                case ConcatLayer concat:
                    return InferConcat(concat, index, sources, problems);
                case Conv2DLayer conv:
                    return InferConv(conv, index, source, problems);
                case Pool2DLayer pool:
                    return InferPool(pool, index, source, problems);
                case GlobalAvgPool2DLayer:
                    if (!RequireSpatial(layer, index, input, problems))
                    {
                        return null;
                    }

                    return source with
                    {
                        In = input,
                        Out = Shape.Spatial(input.Channels, 1, 1),
                        Padding = Padding.None,
                        Parameters = 0,
                        MultiplyAdds = 0,
                        ReceptiveFieldHeight = Saturate(source.ReceptiveFieldHeight + ((input.Height - 1.0) * source.JumpHeight)),
                        ReceptiveFieldWidth = Saturate(source.ReceptiveFieldWidth + ((input.Width - 1.0) * source.JumpWidth)),
                    };
                case FlattenLayer:
                    return Passthrough(source, Shape.Flat(ToInt(input.Length)));
                case DenseLayer dense:
                    if (!Positive(layer, index, "Units", dense.Units, 1, problems)
                        || !Defined(layer, index, "Activation", dense.Activation, problems))
                    {
                        return null;
                    }

                    if (!input.IsFlat)
                    {
                        problems.Add(Problem.Create(DiagnosticCatalog.DenseNeedsFlatten.Id, index, null, layer.Name, input.ToString(), input.Length));
                        return null;
                    }

                    // Every output reads every feature, so its receptive field is the whole network input.
                    return Passthrough(source, Shape.Flat(dense.Units)) with
                    {
                        Parameters = ((long)dense.Units * input.Channels) + (dense.Bias ? dense.Units : 0),
                        MultiplyAdds = (long)dense.Units * input.Channels,
                        ReceptiveFieldHeight = Math.Max(source.ReceptiveFieldHeight, network.Input.Height),
                        ReceptiveFieldWidth = Math.Max(source.ReceptiveFieldWidth, network.Input.Width),
                    };
                case ActivationLayer activation:
                    if (activation.Function == ElementwiseKind.LeakyReLU && (float.IsNaN(activation.Slope) || float.IsInfinity(activation.Slope)))
                    {
                        problems.Add(Problem.Create(DiagnosticCatalog.InvalidNumber.Id, index, "Slope", layer.Name, layer.Kind, "Slope", activation.Slope, "it must be a finite number"));
                        return null;
                    }

                    return Passthrough(source, input);
                case SoftmaxLayer:
                    return Passthrough(source, input);
                case BatchNorm2DLayer norm:
                    if (!RequireSpatial(layer, index, input, problems))
                    {
                        return null;
                    }

                    if (!(norm.Epsilon > 0f) || float.IsInfinity(norm.Epsilon))
                    {
                        problems.Add(Problem.Create(DiagnosticCatalog.InvalidNumber.Id, index, "Epsilon", layer.Name, layer.Kind, "Epsilon", norm.Epsilon, "it must be a positive finite number"));
                        return null;
                    }

                    if (!(norm.Momentum >= 0f && norm.Momentum <= 1f))
                    {
                        problems.Add(Problem.Create(DiagnosticCatalog.InvalidNumber.Id, index, "Momentum", layer.Name, layer.Kind, "Momentum", norm.Momentum, "it must be in [0, 1]"));
                        return null;
                    }

                    return Passthrough(source, input) with { Parameters = 2L * input.Channels };
                case DropoutLayer dropout:
                    if (!(dropout.Rate >= 0f && dropout.Rate < 1f))
                    {
                        problems.Add(Problem.Create(DiagnosticCatalog.DropoutRateOutOfRange.Id, index, "Rate", layer.Name, dropout.Rate));
                        return null;
                    }

                    return Passthrough(source, input);
                default:
                    // Every LayerModel subclass is handled above; an unknown one is reported, never thrown.
                    problems.Add(Problem.Create(DiagnosticCatalog.UnknownLayerAttribute.Id, index, null, layer.Kind, network.ClassName));
                    return null;
            }
        }

        /// <summary>A merge's shape: it reads its first input's shape; its receptive field and jump are the largest of its inputs'.</summary>
        private static LayerShape Merge(List<LayerShape> sources, Shape output)
        {
            var merged = Passthrough(sources[0], output);
            foreach (var source in sources)
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

        private static LayerShape? InferAdd(AddLayer add, int index, List<LayerShape> sources, List<Problem> problems)
        {
            if (!Defined(add, index, "Activation", add.Activation, problems))
            {
                return null;
            }

            if (add.Activation == ActivationKind.Softmax)
            {
                problems.Add(Problem.Create(DiagnosticCatalog.SoftmaxActivationNotDense.Id, index, "Activation", add.Name, add.Kind));
                return null;
            }

            var shape = sources[0].Out;
            if (sources.Exists(s => s.Out != shape))
            {
                problems.Add(Problem.Create(
                    DiagnosticCatalog.AddShapesDiffer.Id, index, null, add.Name, InputList(add, sources), ProjectionHint(add, sources)));
                return null;
            }

            // One addition per element for each input beyond the first.
            return Merge(sources, shape) with { MultiplyAdds = checked(shape.Length * (sources.Count - 1)) };
        }

        /// <summary>
        /// When every input could reach the shape with the smallest plane (then the most channels) through a strided 1×1
        /// convolution (only channels or stride differ), the projection that does it for each, as ResNet's shortcuts do; else nothing.
        /// </summary>
        private static string ProjectionHint(AddLayer add, List<LayerShape> sources)
        {
            if (sources.Exists(s => s.Out.IsFlat))
            {
                return string.Empty;
            }

            var target = sources[0].Out;
            foreach (var source in sources)
            {
                var shape = source.Out;
                var plane = (long)shape.Height * shape.Width;
                var targetPlane = (long)target.Height * target.Width;
                if (plane < targetPlane || (plane == targetPlane && shape.Channels > target.Channels))
                {
                    target = shape;
                }
            }

            var hints = new List<string>();
            for (var i = 0; i < sources.Count; i++)
            {
                var shape = sources[i].Out;
                if (shape == target)
                {
                    continue;
                }

                // A 1×1 convolution with stride s maps n to (n − 1) / s + 1; the smallest such s for the height must fit the width too.
                var stride = ((shape.Height - 1L) / target.Height) + 1;
                if ((shape.Height - 1L) / stride != target.Height - 1 || (shape.Width - 1L) / stride != target.Width - 1)
                {
                    return string.Empty;
                }

                var projection = "[Conv2D(" + Literal(target.Channels) + ", 1" + (stride == 1 ? string.Empty : ", Stride = " + Literal(stride)) + ")]";
                hints.Add("to bring '" + add.Inputs[i] + "' to " + target + ", end its branch with the 1×1 projection " + projection);
            }

            return "; " + string.Join("; ", hints);
        }

        private static LayerShape? InferConcat(ConcatLayer concat, int index, List<LayerShape> sources, List<Problem> problems)
        {
            var first = sources[0].Out;
            string? mismatch = null;
            if (sources.Exists(s => s.Out.IsFlat != first.IsFlat))
            {
                mismatch = "it cannot mix spatial and flat values; end the spatial branches with [Flatten] to join features";
            }
            else if (sources.Exists(s => s.Out.Height != first.Height || s.Out.Width != first.Width))
            {
                mismatch = "spatial values are stacked along channels, so their heights and widths must be equal";
            }

            if (mismatch is not null)
            {
                problems.Add(Problem.Create(DiagnosticCatalog.ConcatShapesDiffer.Id, index, null, concat.Name, InputList(concat, sources), mismatch));
                return null;
            }

            long channels = 0;
            foreach (var source in sources)
            {
                channels = checked(channels + source.Out.Channels);
            }

            return Merge(sources, first.IsFlat ? Shape.Flat(ToInt(channels)) : Shape.Spatial(ToInt(channels), first.Height, first.Width));
        }

        /// <summary>"'a' 128x14x14, 'b' 64x28x28": each input a merge reads, with its shape.</summary>
        private static string InputList(LayerModel layer, List<LayerShape> sources)
        {
            var items = new string[sources.Count];
            for (var i = 0; i < items.Length; i++)
            {
                items[i] = "'" + layer.Inputs[i] + "' " + sources[i].Out;
            }

            return string.Join(", ", items);
        }

        /// <summary>Warns about every layer but the last (the output) that no layer reads.</summary>
        private static void WarnNeverRead(NetworkModel network, List<Problem> problems)
        {
            var read = new HashSet<string>(StringComparer.Ordinal);
            foreach (var layer in network.Layers)
            {
                foreach (var name in layer.Inputs)
                {
                    read.Add(name);
                }
            }

            for (var i = 0; i < network.Layers.Count - 1; i++)
            {
                var layer = network.Layers[i];
                if (!read.Contains(layer.Name))
                {
                    problems.Add(Problem.Create(DiagnosticCatalog.UnusedLayer.Id, i, null, layer.Name, layer.Kind));
                }
            }
        }

        private static LayerShape Passthrough(LayerShape source, Shape output) =>
            source with { In = source.Out, Out = output, Padding = Padding.None, Parameters = 0, MultiplyAdds = 0 };

        private static LayerShape? InferConv(Conv2DLayer conv, int index, LayerShape source, List<Problem> problems)
        {
            var input = source.Out;
            if (!RequireSpatial(conv, index, input, problems)
                || !Positive(conv, index, "Filters", conv.Filters, 1, problems)
                || !Positive(conv, index, "KernelHeight", conv.KernelHeight, 1, problems)
                || !Positive(conv, index, "KernelWidth", conv.KernelWidth, 1, problems)
                || !Positive(conv, index, "StrideHeight", conv.StrideHeight, 1, problems)
                || !Positive(conv, index, "StrideWidth", conv.StrideWidth, 1, problems)
                || !Positive(conv, index, "Padding", conv.Padding, 0, problems)
                || !Positive(conv, index, "Dilation", conv.Dilation, 1, problems)
                || !Positive(conv, index, "Groups", conv.Groups, 1, problems)
                || !Defined(conv, index, "Activation", conv.Activation, problems)
                || !Defined(conv, index, "PaddingMode", conv.PaddingMode, problems))
            {
                return null;
            }

            if (conv.Activation == ActivationKind.Softmax)
            {
                problems.Add(Problem.Create(DiagnosticCatalog.SoftmaxActivationNotDense.Id, index, "Activation", conv.Name, conv.Kind));
                return null;
            }

            if (input.Channels % conv.Groups != 0 || conv.Filters % conv.Groups != 0)
            {
                problems.Add(Problem.Create(DiagnosticCatalog.GroupsDoNotDivide.Id, index, "Groups", conv.Name, conv.Groups, input.Channels, conv.Filters));
                return null;
            }

            if (conv.PaddingMode != PaddingKind.Explicit && conv.Padding != 0)
            {
                problems.Add(Problem.Create(DiagnosticCatalog.PaddingConflictsWithMode.Id, index, "Padding", conv.Name, conv.Padding, conv.PaddingMode));
                return null;
            }

            var extentH = ((long)conv.Dilation * (conv.KernelHeight - 1)) + 1;
            var extentW = ((long)conv.Dilation * (conv.KernelWidth - 1)) + 1;
            Padding padding;
            switch (conv.PaddingMode)
            {
                case PaddingKind.Same:
                    var (top, bottom) = SamePadding(input.Height, extentH, conv.StrideHeight);
                    var (left, right) = SamePadding(input.Width, extentW, conv.StrideWidth);
                    padding = new Padding(ToInt(top), ToInt(bottom), ToInt(left), ToInt(right));
                    break;
                case PaddingKind.Valid:
                    padding = Padding.None;
                    break;
                default:
                    padding = new Padding(conv.Padding, conv.Padding, conv.Padding, conv.Padding);
                    break;
            }

            var paddedH = (long)input.Height + padding.Top + padding.Bottom;
            var paddedW = (long)input.Width + padding.Left + padding.Right;
            if (extentH > paddedH || extentW > paddedW)
            {
                problems.Add(Problem.Create(
                    DiagnosticCatalog.KernelLargerThanInput.Id, index, null, conv.Name,
                    conv.KernelHeight, conv.KernelWidth, extentH, extentW, input.ToString(), paddedH, paddedW));
                return null;
            }

            var (outH, unreadH) = WindowAxis(input.Height, padding.Top, padding.Bottom, extentH, conv.StrideHeight, false);
            var (outW, unreadW) = WindowAxis(input.Width, padding.Left, padding.Right, extentW, conv.StrideWidth, false);
            WarnUnread(conv, index, "StrideHeight", conv.StrideHeight, paddedH, padding.Bottom, extentH, unreadH, "row", problems);
            WarnUnread(conv, index, "StrideWidth", conv.StrideWidth, paddedW, padding.Right, extentW, unreadW, "column", problems);

            var taps = checked((long)(input.Channels / conv.Groups) * conv.KernelHeight * conv.KernelWidth);
            return new LayerShape(
                input,
                Shape.Spatial(conv.Filters, ToInt(outH), ToInt(outW)),
                padding,
                checked((conv.Filters * taps) + (conv.Bias ? conv.Filters : 0)),
                checked(conv.Filters * taps * outH * outW),
                Saturate(source.ReceptiveFieldHeight + ((extentH - 1.0) * source.JumpHeight)),
                Saturate(source.ReceptiveFieldWidth + ((extentW - 1.0) * source.JumpWidth)),
                Saturate((double)source.JumpHeight * conv.StrideHeight),
                Saturate((double)source.JumpWidth * conv.StrideWidth));
        }

        private static LayerShape? InferPool(Pool2DLayer pool, int index, LayerShape source, List<Problem> problems)
        {
            var input = source.Out;
            if (!RequireSpatial(pool, index, input, problems)
                || !Positive(pool, index, "Size", pool.Size, 1, problems)
                || !Positive(pool, index, "Stride", pool.Stride, 1, problems)
                || !Positive(pool, index, "Padding", pool.Padding, 0, problems))
            {
                return null;
            }

            if (2L * pool.Padding > pool.Size)
            {
                problems.Add(Problem.Create(DiagnosticCatalog.PoolPaddingTooLarge.Id, index, "Padding", pool.Name, pool.Kind, pool.Padding, pool.Size));
                return null;
            }

            var paddedH = input.Height + (2L * pool.Padding);
            var paddedW = input.Width + (2L * pool.Padding);
            if (pool.Size > paddedH || pool.Size > paddedW)
            {
                problems.Add(Problem.Create(DiagnosticCatalog.PoolWindowTooLarge.Id, index, null, pool.Name, pool.Kind, pool.Size, input.ToString(), paddedH, paddedW));
                return null;
            }

            var (outH, unreadH) = WindowAxis(input.Height, pool.Padding, pool.Padding, pool.Size, pool.Stride, pool.CeilMode);
            var (outW, unreadW) = WindowAxis(input.Width, pool.Padding, pool.Padding, pool.Size, pool.Stride, pool.CeilMode);
            if (outH <= 0 || outW <= 0)
            {
                problems.Add(Problem.Create(DiagnosticCatalog.OutputSizeNotPositive.Id, index, null, pool.Name, pool.Kind, input.ToString(), outH, outW));
                return null;
            }

            WarnUnread(pool, index, "Stride", pool.Stride, paddedH, pool.Padding, pool.Size, unreadH, "row", problems);
            WarnUnread(pool, index, "Stride", pool.Stride, paddedW, pool.Padding, pool.Size, unreadW, "column", problems);

            return new LayerShape(
                input,
                Shape.Spatial(input.Channels, ToInt(outH), ToInt(outW)),
                new Padding(pool.Padding, pool.Padding, pool.Padding, pool.Padding),
                0,
                0,
                Saturate(source.ReceptiveFieldHeight + ((pool.Size - 1.0) * source.JumpHeight)),
                Saturate(source.ReceptiveFieldWidth + ((pool.Size - 1.0) * source.JumpWidth)),
                Saturate((double)source.JumpHeight * pool.Stride),
                Saturate((double)source.JumpWidth * pool.Stride));
        }

        /// <summary>
        /// Warns when the stride leaves input rows (not only padding) after the last window unread. A stride longer than the
        /// window skips rows between windows everywhere (ResNet's 1×1 stride-2 shortcut), so the last ones are not singled out.
        /// </summary>
        private static void WarnUnread(
            LayerModel layer, int index, string property, long stride, long padded, long padAfter, long extent, long unread, string axis, List<Problem> problems)
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
                problems.Add(Problem.Create(
                    DiagnosticCatalog.StrideDoesNotFit.Id, index, property, layer.Name, layer.Kind,
                    padded, extent, stride, exact,
                    Count(kept, axis),
                    unread == 1 ? axis : Count(unread, axis),
                    unread == 1 ? "index " + Literal(first) : "indices " + Literal(first) + "–" + Literal(padded - 1)));
            }
        }

        /// <summary>"1 row", "2 rows".</summary>
        private static string Count(long count, string axis) => Literal(count) + " " + axis + (count == 1 ? string.Empty : "s");

        private static string Literal(long value) => value.ToString(CultureInfo.InvariantCulture);

        private static bool Defined<TEnum>(LayerModel layer, int index, string property, TEnum value, List<Problem> problems)
            where TEnum : struct, Enum
        {
            if (Enum.IsDefined(typeof(TEnum), value))
            {
                return true;
            }

            problems.Add(Problem.Create(
                DiagnosticCatalog.InvalidNumber.Id, index, property, layer.Name, layer.Kind, property,
                Convert.ToInt32(value, CultureInfo.InvariantCulture), "it must be one of the named " + property + " values"));
            return false;
        }

        private static bool RequireSpatial(LayerModel layer, int index, Shape input, List<Problem> problems)
        {
            if (!input.IsFlat)
            {
                return true;
            }

            problems.Add(Problem.Create(DiagnosticCatalog.NeedsSpatialInput.Id, index, null, layer.Name, layer.Kind, input.ToString()));
            return false;
        }

        private static bool Positive(LayerModel layer, int index, string property, int value, int minimum, List<Problem> problems) =>
            Positive(layer.Name, layer.Kind, index, property, value, minimum, problems);

        private static bool Positive(string name, string kind, int index, string property, int value, int minimum, List<Problem> problems)
        {
            if (value >= minimum)
            {
                return true;
            }

            problems.Add(Problem.Create(DiagnosticCatalog.NonPositiveArgument.Id, index, property, name, kind, property, minimum, value));
            return false;
        }

        private static void CheckExpect(LayerModel layer, int index, Shape input, Shape output, List<Problem> problems)
        {
            if (layer.Expect is null)
            {
                return;
            }

            var expected = ParseExpect(layer.Expect);
            if (expected is null)
            {
                problems.Add(Problem.Create(DiagnosticCatalog.ExpectInvalid.Id, index, "Expect", layer.Name, layer.Kind, layer.Expect));
            }
            else if (expected != output)
            {
                problems.Add(Problem.Create(DiagnosticCatalog.ExpectMismatch.Id, index, "Expect", layer.Name, layer.Kind, output.ToString(), layer.Expect, input.ToString()));
            }
        }
    }
}
