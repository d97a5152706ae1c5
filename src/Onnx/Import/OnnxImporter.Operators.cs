using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConvGen.Onnx.Protobuf;
using ConvGen.Serialization;

namespace ConvGen.Onnx
{
    /// <summary>One handler per ONNX operator ConvGen can express: each checks its node and adds a layer, an alias or a constant.</summary>
    internal sealed partial class OnnxImporter
    {
        private static readonly Dictionary<string, Action<OnnxImporter, NodeProto>> Handlers = new(StringComparer.Ordinal)
        {
            ["Conv"] = (i, n) => i.Conv(n),
            ["BatchNormalization"] = (i, n) => i.BatchNormalization(n),
            ["MaxPool"] = (i, n) => i.Pool(n, PoolFunction.Max),
            ["AveragePool"] = (i, n) => i.Pool(n, PoolFunction.Average),
            ["GlobalAveragePool"] = (i, n) => i.GlobalAveragePool(n),
            ["Flatten"] = (i, n) => i.Flatten(n),
            ["Reshape"] = (i, n) => i.Reshape(n),
            ["Gemm"] = (i, n) => i.Gemm(n),
            ["Relu"] = (i, n) => i.Activation(n, ActivationFunction.ReLU, 0),
            ["LeakyRelu"] = (i, n) => i.Activation(n, ActivationFunction.LeakyReLU, Attribute(n, "alpha", 0.01f)),
            ["Tanh"] = (i, n) => i.Activation(n, ActivationFunction.Tanh, 0),
            ["Sigmoid"] = (i, n) => i.Activation(n, ActivationFunction.Sigmoid, 0),
            ["Clip"] = (i, n) => i.Clip(n),
            ["Softmax"] = (i, n) => i.Softmax(n),
            ["Dropout"] = (i, n) => i.Dropout(n),
            ["Identity"] = (i, n) => i.Alias(n, i.Read(n, 0)),
            ["Add"] = (i, n) => i.Add(n),
            ["Sum"] = (i, n) => i.Add(n),
            ["Concat"] = (i, n) => i.Concat(n),
            ["Constant"] = (i, n) => i.Constant(n),
            ["Pad"] = (i, n) => i.Pad(n),
        };

        private void Conv(NodeProto node)
        {
            var x = ReadSpatial(node, 0, allowPendingPad: true);
            var weight = ReadConstant(node, 1, "weight");
            RequireOnlyAttributes(node, "kernel_shape", "strides", "pads", "dilations", "group", "auto_pad");
            if (weight.Dims.Length != 4)
            {
                throw new Unsupported($"weight '{weight.Name}' has dims {weight.DimsText}; a 2-D convolution's weight is [filters, channels/groups, kh, kw]");
            }

            var groups = (int)Attribute(node, "group", 1L);
            var (filters, kernelHeight, kernelWidth) = ((int)weight.Dims[0], (int)weight.Dims[2], (int)weight.Dims[3]);
            if (groups < 1 || weight.Dims[1] * groups != x.Shape[0] || filters % groups != 0)
            {
                throw new Unsupported($"weight {weight.DimsText} with group {groups} does not fit an input of {x.Shape[0]} channels");
            }

            var strides = Pair(node, "strides", 1);
            var dilations = Pair(node, "dilations", 1);
            if (dilations.A != dilations.B)
            {
                throw new Unsupported($"dilations ({dilations.A}, {dilations.B}) differ between height and width; ConvGen's Conv2D dilates both axes equally");
            }

            var conv = new ConvDescription(
                string.Empty, Array.Empty<string>(), Array.Empty<int>(), filters, kernelHeight, kernelWidth, strides.A, strides.B,
                default, dilations.A, groups, Bias: node.Input.Count > 2 && node.Input[2].Length > 0, ConvGen.Activation.None);
            var padding = Padding(node, conv, x);
            var uniform = padding.IsUniform;
            if (!uniform && padding != WindowArithmetic.Same(conv, x.Shape[1], x.Shape[2]))
            {
                throw new Unsupported(
                    $"pads (top {padding.Top}, left {padding.Left}, bottom {padding.Bottom}, right {padding.Right}) are neither equal on every side " +
                    $"nor ConvGen's Same padding for a {x.Shape[1]}×{x.Shape[2]} input");
            }

            var height = WindowArithmetic.Output(x.Shape[1], padding.Top, padding.Bottom, (dilations.A * (kernelHeight - 1)) + 1, strides.A, false);
            var width = WindowArithmetic.Output(x.Shape[2], padding.Left, padding.Right, (dilations.A * (kernelWidth - 1)) + 1, strides.B, false);
            if (height < 1 || width < 1)
            {
                throw new Unsupported($"a {kernelHeight}×{kernelWidth} kernel (dilation {dilations.A}) does not fit the padded {x.ShapeText} input");
            }

            var name = LayerName(node, weight.Name, "Conv2D");
            var tensors = new List<SafeTensor> { Tensor(name + ".weight", weight, weight.Dims) };
            if (conv.Bias)
            {
                var bias = ReadConstant(node, 2, "bias");
                RequireDims(bias, filters);
                tensors.Add(Tensor(name + ".bias", bias, new long[] { filters }));
            }

            AddLayer(node, conv with { Name = name, Inputs = new[] { x.Layer }, OutputShape = new[] { filters, (int)height, (int)width }, Padding = padding }, tensors);
        }

        /// <summary>The conv's padding: explicit pads or auto_pad, plus any zero padding a preceding Pad node left for it.</summary>
        private Padding2D Padding(NodeProto node, ConvDescription conv, Value x)
        {
            var autoPad = StringAttribute(node, "auto_pad", "NOTSET");
            Padding2D padding;
            switch (autoPad)
            {
                case "NOTSET":
                    var pads = Ints(node, "pads") ?? new long[4];
                    padding = pads.Length == 4
                        ? new Padding2D((int)pads[0], (int)pads[1], (int)pads[2], (int)pads[3])
                        : throw new Unsupported($"pads has {pads.Length} values; a 2-D convolution has 4");
                    break;
                case "VALID":
                    padding = default;
                    break;
                case "SAME_UPPER":
                    padding = WindowArithmetic.Same(conv, x.Shape[1], x.Shape[2]);
                    break;
                case "SAME_LOWER":
                    var same = WindowArithmetic.Same(conv, x.Shape[1], x.Shape[2]);
                    padding = new Padding2D(same.Bottom, same.Right, same.Top, same.Left);
                    break;
                default:
                    throw new Unsupported($"auto_pad '{autoPad}' is not an ONNX padding mode");
            }

            if (x.PendingPad is { } extra)
            {
                padding = new Padding2D(padding.Top + extra.Top, padding.Left + extra.Left, padding.Bottom + extra.Bottom, padding.Right + extra.Right);
            }

            return padding;
        }

        private void BatchNormalization(NodeProto node)
        {
            var x = ReadSpatial(node, 0);
            RequireOnlyAttributes(node, "epsilon", "momentum", "training_mode", "spatial");
            if (Attribute(node, "training_mode", 0L) != 0 || node.Output.Skip(1).Any(o => o.Length > 0))
            {
                throw new Unsupported("it is in training mode (updates running statistics); export the model in eval mode");
            }

            var constants = new[] { ("weight", 1), ("bias", 2), ("running_mean", 3), ("running_var", 4) }
                .Select(p => (p.Item1, Tensor: ReadConstant(node, p.Item2, p.Item1)))
                .ToList();
            foreach (var (_, tensor) in constants)
            {
                RequireDims(tensor, x.Shape[0]);
            }

            var name = LayerName(node, constants[0].Tensor.Name, "BatchNorm2D");
            var momentum = 1 - Attribute(node, "momentum", 0.9f);
            AddLayer(
                node,
                new BatchNormDescription(name, new[] { x.Layer }, x.Shape, Attribute(node, "epsilon", 1e-5f), momentum),
                constants.Select(c => Tensor(name + "." + c.Item1, c.Tensor, new long[] { x.Shape[0] })).ToList());
        }

        private void Pool(NodeProto node, PoolFunction function)
        {
            var x = ReadSpatial(node, 0, allowPendingPad: function == PoolFunction.Average);
            RequireOnlyAttributes(node, "kernel_shape", "strides", "pads", "ceil_mode", "count_include_pad", "auto_pad", "dilations", "storage_order");
            if (node.Output.Skip(1).Any(o => o.Length > 0))
            {
                throw new Unsupported("its second output (the arg-max indices) is used; ConvGen's pooling has one output");
            }

            var kernel = Pair(node, "kernel_shape", 0);
            var strides = Pair(node, "strides", 1);
            var pads = Ints(node, "pads") ?? new long[4];
            if (kernel.A != kernel.B || strides.A != strides.B)
            {
                throw new Unsupported($"window {kernel.A}×{kernel.B} with strides ({strides.A}, {strides.B}); ConvGen pools square windows with one stride");
            }

            if (pads.Length != 4 || pads.Distinct().Count() != 1)
            {
                throw new Unsupported($"pads ({string.Join(", ", pads)}) are not equal on every side; ConvGen's pooling pads every side equally");
            }

            if (Pair(node, "dilations", 1) != (1, 1) || StringAttribute(node, "auto_pad", "NOTSET") is not ("NOTSET" or "VALID"))
            {
                throw new Unsupported("dilated or auto-padded pooling has no ConvGen layer");
            }

            var padding = (int)pads[0];
            if (function == PoolFunction.Average && padding > 0 && Attribute(node, "count_include_pad", 0L) == 0)
            {
                throw new Unsupported("it excludes padding from the average (count_include_pad = 0); ConvGen's average pooling counts padding, as PyTorch's default");
            }

            if (x.PendingPad is { } extra)
            {
                // Pad(zeros) then average: the zeros are counted, as ConvGen counts padding.
                if (!extra.IsUniform || padding > 0)
                {
                    throw new Unsupported("it reads a Pad node whose padding is not equal on every side");
                }

                padding = extra.Top;
            }

            var ceil = Attribute(node, "ceil_mode", 0L) != 0;
            var height = WindowArithmetic.Output(x.Shape[1], padding, padding, kernel.A, strides.A, ceil);
            var width = WindowArithmetic.Output(x.Shape[2], padding, padding, kernel.A, strides.A, ceil);
            if (height < 1 || width < 1)
            {
                throw new Unsupported($"a {kernel.A}×{kernel.A} window does not fit the {x.ShapeText} input");
            }

            var kind = function == PoolFunction.Max ? "MaxPool2D" : "AvgPool2D";
            AddLayer(node, new PoolDescription(DefaultName(kind), new[] { x.Layer }, new[] { x.Shape[0], (int)height, (int)width }, function, kernel.A, strides.A, padding, ceil));
        }

        private void GlobalAveragePool(NodeProto node)
        {
            var x = ReadSpatial(node, 0);
            AddLayer(node, new GlobalAvgPoolDescription(DefaultName("GlobalAvgPool2D"), new[] { x.Layer }, new[] { x.Shape[0], 1, 1 }));
        }

        private void Flatten(NodeProto node)
        {
            var x = Read(node, 0);
            if (Attribute(node, "axis", 1L) != 1)
            {
                throw new Unsupported($"axis {Attribute(node, "axis", 1L)}; ConvGen flattens everything but the batch axis (axis 1)");
            }

            FlattenTo(node, x);
        }

        /// <summary>Reshape to [N, -1] (or [0, -1], [1, C·H·W]...) before a Gemm: PyTorch's <c>x.view(x.size(0), -1)</c>.</summary>
        private void Reshape(NodeProto node)
        {
            var x = Read(node, 0);
            var shape = ReadConstant(node, 1, "shape").Integers ?? throw new Unsupported("its shape is not an integer tensor");
            var features = x.Features;
            if (shape.Length != 2 || shape[0] is not (0 or 1 or -1) || shape[1] != -1 && shape[1] != features || shape[0] == -1 && shape[1] == -1)
            {
                throw new Unsupported($"shape [{string.Join(", ", shape)}] of a {x.ShapeText} value; ConvGen reshapes only to [N, -1] (flatten)");
            }

            FlattenTo(node, x);
        }

        private void FlattenTo(NodeProto node, Value x)
        {
            if (x.IsSpatial)
            {
                AddLayer(node, new FlattenDescription(DefaultName("Flatten"), new[] { x.Layer }, new[] { x.Features }));
            }
            else
            {
                Alias(node, x);
            }
        }

        private void Gemm(NodeProto node)
        {
            var x = Read(node, 0);
            if (x.IsSpatial)
            {
                throw new Unsupported($"it reads the spatial value {x.ShapeText}; flatten it first");
            }

            RequireOnlyAttributes(node, "alpha", "beta", "transA", "transB");
            if (Attribute(node, "transA", 0L) != 0)
            {
                throw new Unsupported("transA = 1 (the input transposed) has no ConvGen layer");
            }

            var b = ReadConstant(node, 1, "weight");
            var transposed = Attribute(node, "transB", 0L) != 0;
            if (b.Dims.Length != 2 || b.Dims[transposed ? 1 : 0] != x.Features)
            {
                throw new Unsupported($"weight '{b.Name}' {b.DimsText} (transB = {(transposed ? 1 : 0)}) does not fit {x.Features} input features");
            }

            var units = (int)b.Dims[transposed ? 0 : 1];
            var alpha = Attribute(node, "alpha", 1f);
            var weights = FloatsOf(b);
            var layout = new float[weights.Length];
            for (var u = 0; u < units; u++)
            {
                for (var f = 0; f < x.Features; f++)
                {
                    layout[(u * x.Features) + f] = alpha * (transposed ? weights[(u * x.Features) + f] : weights[(f * units) + u]);
                }
            }

            var name = LayerName(node, b.Name, "Dense");
            var tensors = new List<SafeTensor> { SafeTensor.FromFloats(name + ".weight", new[] { units, x.Features }, layout) };
            var hasBias = node.Input.Count > 2 && node.Input[2].Length > 0;
            if (hasBias)
            {
                var c = ReadConstant(node, 2, "bias");
                if (c.ElementCount != units || c.Dims.Length > 2 || c.Dims.Length == 2 && c.Dims[0] != 1)
                {
                    throw new Unsupported($"bias '{c.Name}' {c.DimsText} is not one value per unit ({units}); ConvGen's Dense adds a bias per unit");
                }

                var beta = Attribute(node, "beta", 1f);
                tensors.Add(SafeTensor.FromFloats(name + ".bias", new[] { units }, FloatsOf(c).Select(v => beta * v).ToArray()));
            }

            AddLayer(node, new DenseDescription(name, new[] { x.Layer }, new[] { units }, units, hasBias, ConvGen.Activation.None), tensors);
        }

        private void Activation(NodeProto node, ActivationFunction function, float slope)
        {
            var x = Read(node, 0);
            if (TryFuse(node, x, function))
            {
                return;
            }

            AddLayer(node, new ActivationDescription(DefaultName(function.ToString()), new[] { x.Layer }, x.Shape, function, slope));
        }

        /// <summary>Clip to [0, 6] is ReLU6; bounds come from inputs 1 and 2 (opset 11 on) or the min/max attributes (before).</summary>
        private void Clip(NodeProto node)
        {
            var (min, max) = _opset >= 11
                ? (Bound(node, 1, "min", float.MinValue), Bound(node, 2, "max", float.MaxValue))
                : (Attribute(node, "min", float.MinValue), Attribute(node, "max", float.MaxValue));
            if (min != 0f || max != 6f)
            {
                throw new Unsupported(
                    $"it clips to [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}]; ConvGen clips only as ReLU6, to [0, 6]");
            }

            Activation(node, ActivationFunction.ReLU6, 0);
        }

        /// <summary>An optional scalar input of a node (a Clip bound), or <paramref name="absent"/> when the node leaves it out.</summary>
        private float Bound(NodeProto node, int index, string role, float absent)
        {
            if (node.Input.Count <= index || node.Input[index].Length == 0)
            {
                return absent;
            }

            var values = FloatsOf(ReadConstant(node, index, role));
            return values.Length == 1 ? values[0] : throw new Unsupported($"its {role} has {values.Length} values; a Clip bound is one number");
        }

        private void Softmax(NodeProto node)
        {
            var x = Read(node, 0);
            var axis = Attribute(node, "axis", _opset >= 13 ? -1L : 1L);
            var rank = x.Shape.Count + 1;
            if (axis < 0)
            {
                axis += rank;
            }

            if (axis != 1 || x.IsSpatial && _opset < 13)
            {
                throw new Unsupported(
                    $"softmax over axis {Attribute(node, "axis", _opset >= 13 ? -1L : 1L)} of a {x.ShapeText} value; ConvGen's softmax runs over features, or over channels at each pixel (axis 1, opset 13 or later)");
            }

            Activation(node, ActivationFunction.Softmax, 0);
        }

        /// <summary>An activation right after a conv, dense or add that nothing else reads becomes that layer's <c>Activation</c>.</summary>
        private bool TryFuse(NodeProto node, Value x, ActivationFunction function)
        {
            var index = _layers.FindIndex(l => l.Name == x.Layer);
            if (!x.Direct || _readers.GetValueOrDefault(node.Input[0]) != 1 || index < 0)
            {
                return false;
            }

            var activation = function switch
            {
                ActivationFunction.ReLU => ConvGen.Activation.ReLU,
                ActivationFunction.Tanh => ConvGen.Activation.Tanh,
                ActivationFunction.Sigmoid => ConvGen.Activation.Sigmoid,
                ActivationFunction.Softmax => ConvGen.Activation.Softmax,
                ActivationFunction.ReLU6 => ConvGen.Activation.ReLU6,
                _ => ConvGen.Activation.None,
            };
            LayerDescription? fused = (_layers[index], activation) switch
            {
                (_, ConvGen.Activation.None) => null,
                (ConvDescription { Activation: ConvGen.Activation.None } conv, not ConvGen.Activation.Softmax) => conv with { Activation = activation },
                (DenseDescription { Activation: ConvGen.Activation.None } dense, _) => dense with { Activation = activation },
                (AddDescription { Activation: ConvGen.Activation.None } add, not ConvGen.Activation.Softmax) => add with { Activation = activation },
                _ => null,
            };
            if (fused is null)
            {
                return false;
            }

            _layers[index] = fused;
            Alias(node, x);
            return true;
        }

        private void Dropout(NodeProto node)
        {
            var x = Read(node, 0);
            if (node.Output.Skip(1).Any(o => o.Length > 0))
            {
                throw new Unsupported("its mask output is used; at inference dropout has none");
            }

            if (node.Input.Count > 2 && node.Input[2].Length > 0 && ReadConstant(node, 2, "training_mode").Integers?.Any(v => v != 0) == true)
            {
                throw new Unsupported("it is in training mode; export the model in eval mode");
            }

            var rate = node.Input.Count > 1 && node.Input[1].Length > 0
                ? FloatsOf(ReadConstant(node, 1, "ratio")).Single()
                : Attribute(node, "ratio", 0.5f);
            AddLayer(node, new DropoutDescription(DefaultName("Dropout"), new[] { x.Layer }, x.Shape, rate));
        }

        private void Add(NodeProto node)
        {
            var inputs = Enumerable.Range(0, node.Input.Count).Select(i => Read(node, i)).ToList();
            if (inputs.Count < 2)
            {
                throw new Unsupported("it sums fewer than two values");
            }

            if (inputs.Any(v => !v.Shape.SequenceEqual(inputs[0].Shape)))
            {
                throw new Unsupported(
                    $"it sums values of different shapes ({string.Join(", ", inputs.Select(v => v.ShapeText))}); ConvGen's Add does not broadcast");
            }

            AddLayer(node, new AddDescription(DefaultName("Add"), inputs.Select(v => v.Layer).ToArray(), inputs[0].Shape, ConvGen.Activation.None));
        }

        private void Concat(NodeProto node)
        {
            var inputs = Enumerable.Range(0, node.Input.Count).Select(i => Read(node, i)).ToList();
            var rank = inputs[0].Shape.Count + 1;
            var axis = Attribute(node, "axis", 1L);
            if ((axis < 0 ? axis + rank : axis) != 1)
            {
                throw new Unsupported($"it concatenates along axis {axis}; ConvGen concatenates channels or features (axis 1)");
            }

            if (inputs.Any(v => v.Shape.Count != rank - 1 || !v.Shape.Skip(1).SequenceEqual(inputs[0].Shape.Skip(1))))
            {
                throw new Unsupported($"its inputs ({string.Join(", ", inputs.Select(v => v.ShapeText))}) differ in more than the channels");
            }

            var shape = inputs[0].Shape.ToArray();
            shape[0] = inputs.Sum(v => v.Shape[0]);
            AddLayer(node, new ConcatDescription(DefaultName("Concat"), inputs.Select(v => v.Layer).ToArray(), shape));
        }

        private void Constant(NodeProto node)
        {
            var value = node.Attribute.FirstOrDefault(a => a.Name == "value" && a.T is not null)
                ?? throw new Unsupported("only tensor constants (attribute 'value') are read");
            var tensor = value.T.Clone();
            tensor.Name = node.Output[0];
            _constants[node.Output[0]] = ConstantTensor.Decode(tensor, "Constant");
        }

        /// <summary>Zero padding of H and W only; it is folded into the conv or average pooling that reads it.</summary>
        private void Pad(NodeProto node)
        {
            var x = ReadSpatial(node, 0);
            if (StringAttribute(node, "mode", "constant") != "constant")
            {
                throw new Unsupported($"mode '{StringAttribute(node, "mode", "constant")}'; ConvGen pads with zeros only");
            }

            var pads = node.Input.Count > 1 && node.Input[1].Length > 0
                ? ReadConstant(node, 1, "pads").Integers ?? throw new Unsupported("its pads are not integers")
                : Ints(node, "pads") ?? throw new Unsupported("it has no pads");
            var value = node.Input.Count > 2 && node.Input[2].Length > 0 ? FloatsOf(ReadConstant(node, 2, "constant_value")).Single() : Attribute(node, "value", 0f);
            if (pads.Length != 8 || pads[0] != 0 || pads[1] != 0 || pads[4] != 0 || pads[5] != 0 || pads.Any(p => p < 0) || value != 0)
            {
                throw new Unsupported(
                    $"pads [{string.Join(", ", pads)}] with value {value.ToString(CultureInfo.InvariantCulture)}; ConvGen folds only non-negative zero padding of H and W into the next conv or average pooling");
            }

            var padding = new Padding2D((int)pads[2], (int)pads[3], (int)pads[6], (int)pads[7]);
            if (padding == default)
            {
                Alias(node, x);
                return;
            }

            if (_readers.GetValueOrDefault(node.Output[0]) != 1)
            {
                throw new Unsupported("its output has several readers; ConvGen can fold padding only into the one conv or average pooling that reads it");
            }

            _values[node.Output[0]] = x with { Direct = false, PendingPad = padding };
        }
    }
}
