using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace ConvGen.Tests.Reference
{
    /// <summary>
    /// A deliberately plain interpreter of a network's layer attributes in float64: naive loops, no im2col, no SIMD.
    /// It reads the same parameters as the generated network, so outputs and finite-difference gradients can be compared.
    /// </summary>
    public sealed class ReferenceNetwork
    {
        private readonly IReadOnlyList<ReferenceNode> _nodes;
        private readonly InputAttribute _input;
        private readonly Dictionary<string, double[]> _tensors = new();

        public ReferenceNetwork(Type networkType, INetwork network)
        {
            _input = networkType.GetCustomAttribute<InputAttribute>()!;
            _nodes = ReferenceGraph.Resolve(networkType);
            foreach (var p in network.Parameters.Concat(network.Buffers))
            {
                _tensors[p.Name] = p.Values.ToArray().Select(v => (double)v).ToArray();
            }
        }

        /// <summary>Training mode: BatchNorm uses batch statistics (Dropout is never applied here).</summary>
        public bool Training { get; set; }

        public double[] Tensor(string name) => _tensors[name];

        /// <summary>Runs a batch and returns the outputs (the last declared layer's), one sample after another.</summary>
        public double[] Forward(double[] input, int batch)
        {
            var values = new Dictionary<string, Value>(StringComparer.Ordinal)
            {
                [ReferenceGraph.NetworkInput] = new(input, _input.Channels, _input.Height, _input.Width, false),
            };
            var last = values[ReferenceGraph.NetworkInput];
            foreach (var node in _nodes)
            {
                last = Apply(node.Layer, node.Name, node.Inputs.Select(i => values[i]).ToList(), batch);
                values[node.Name] = last;
            }

            return last.Data;
        }

        private Value Apply(LayerAttribute layer, string name, IReadOnlyList<Value> inputs, int batch)
        {
            var (x, c, h, w, flat) = inputs[0];
            switch (layer)
            {
                case AddAttribute add:
                {
                    var y = new double[x.Length];
                    foreach (var term in inputs)
                    {
                        for (var i = 0; i < y.Length; i++)
                        {
                            y[i] += term.Data[i];
                        }
                    }

                    Activate(y, add.Activation, batch, c, h * w);
                    return inputs[0] with { Data = y };
                }

                case ConcatAttribute:
                    return Concat(inputs, batch);
                case Conv2DAttribute conv:
                    return Conv(conv, name, x, batch, c, h, w);
                case MaxPool2DAttribute or AvgPool2DAttribute:
                    return Pool((Pool2DAttribute)layer, x, batch, c, h, w);
                case GlobalAvgPool2DAttribute:
                {
                    var y = new double[batch * c];
                    for (var i = 0; i < batch * c; i++)
                    {
                        y[i] = x.Skip(i * h * w).Take(h * w).Average();
                    }

                    return new(y, c, 1, 1, false);
                }

                case FlattenAttribute:
                    return new(x, c * h * w, 1, 1, true);
                case DenseAttribute dense:
                {
                    var weight = _tensors[name + ".weight"];
                    var features = c * h * w;
                    var y = new double[batch * dense.Units];
                    for (var n = 0; n < batch; n++)
                    {
                        for (var u = 0; u < dense.Units; u++)
                        {
                            var sum = dense.Bias ? _tensors[name + ".bias"][u] : 0;
                            for (var i = 0; i < features; i++)
                            {
                                sum += weight[(u * features) + i] * x[(n * features) + i];
                            }

                            y[(n * dense.Units) + u] = sum;
                        }
                    }

                    Activate(y, dense.Activation, batch, dense.Units, 1);
                    return new(y, dense.Units, 1, 1, true);
                }

                case ReLUAttribute:
                    return new(x.Select(v => Math.Max(v, 0)).ToArray(), c, h, w, flat);
                case LeakyReLUAttribute leaky:
                    return new(x.Select(v => v > 0 ? v : v * leaky.Slope).ToArray(), c, h, w, flat);
                case TanhAttribute:
                    return new(x.Select(Math.Tanh).ToArray(), c, h, w, flat);
                case SigmoidAttribute:
                    return new(x.Select(v => 1 / (1 + Math.Exp(-v))).ToArray(), c, h, w, flat);
                case ReLU6Attribute:
                    return new(x.Select(v => Math.Min(Math.Max(v, 0), 6)).ToArray(), c, h, w, flat);
                case SwishAttribute:
                    return new(x.Select(v => v / (1 + Math.Exp(-v))).ToArray(), c, h, w, flat);
                case SoftmaxAttribute:
                {
                    var y = (double[])x.Clone();
                    Softmax(y, batch, c, h * w);
                    return new(y, c, h, w, flat);
                }

                case BatchNorm2DAttribute bn:
                    return new(BatchNorm(bn, name, x, batch, c, h * w), c, h, w, flat);
                case DropoutAttribute:
                    return inputs[0];
                default:
                    throw new NotSupportedException(layer.GetType().Name);
            }
        }

        /// <summary>Stacks the inputs' channels (spatial, equal H×W) or features (flat), sample by sample.</summary>
        private static Value Concat(IReadOnlyList<Value> inputs, int batch)
        {
            var first = inputs[0];
            var plane = first.H * first.W;
            var channels = inputs.Sum(v => v.C);
            var y = new double[batch * channels * plane];
            var at = 0;
            for (var n = 0; n < batch; n++)
            {
                foreach (var value in inputs)
                {
                    var length = value.C * plane;
                    Array.Copy(value.Data, n * length, y, at, length);
                    at += length;
                }
            }

            return new(y, channels, first.H, first.W, first.Flat);
        }

        private Value Conv(Conv2DAttribute conv, string name, double[] x, int batch, int c, int h, int w)
        {
            var kh = conv.KernelHeight != 0 ? conv.KernelHeight : conv.KernelSize;
            var kw = conv.KernelWidth != 0 ? conv.KernelWidth : conv.KernelSize;
            var sh = conv.StrideHeight != 0 ? conv.StrideHeight : conv.Stride;
            var sw = conv.StrideWidth != 0 ? conv.StrideWidth : conv.Stride;
            var d = conv.Dilation;
            int pt, pl, oh, ow;
            if (conv.PaddingMode == PaddingMode.Same)
            {
                oh = (h + sh - 1) / sh;
                ow = (w + sw - 1) / sw;
                pt = Math.Max(((oh - 1) * sh) + (d * (kh - 1)) + 1 - h, 0) / 2;
                pl = Math.Max(((ow - 1) * sw) + (d * (kw - 1)) + 1 - w, 0) / 2;
            }
            else
            {
                var p = conv.PaddingMode == PaddingMode.Valid ? 0 : conv.Padding;
                pt = pl = p;
                oh = ((h + (2 * p) - (d * (kh - 1)) - 1) / sh) + 1;
                ow = ((w + (2 * p) - (d * (kw - 1)) - 1) / sw) + 1;
            }

            var f = conv.Filters;
            var g = conv.Groups;
            var cg = c / g;
            var fg = f / g;
            var weight = _tensors[name + ".weight"];
            var y = new double[batch * f * oh * ow];
            for (var n = 0; n < batch; n++)
            {
                for (var o = 0; o < f; o++)
                {
                    var group = o / fg;
                    for (var oy = 0; oy < oh; oy++)
                    {
                        for (var ox = 0; ox < ow; ox++)
                        {
                            var sum = conv.Bias ? _tensors[name + ".bias"][o] : 0;
                            for (var ci = 0; ci < cg; ci++)
                            {
                                for (var ky = 0; ky < kh; ky++)
                                {
                                    for (var kx = 0; kx < kw; kx++)
                                    {
                                        var iy = (oy * sh) - pt + (ky * d);
                                        var ix = (ox * sw) - pl + (kx * d);
                                        if (iy < 0 || iy >= h || ix < 0 || ix >= w)
                                        {
                                            continue;
                                        }

                                        var channel = (group * cg) + ci;
                                        sum += weight[(((o * cg) + ci) * kh + ky) * kw + kx] * x[(((n * c) + channel) * h + iy) * w + ix];
                                    }
                                }
                            }

                            y[(((n * f) + o) * oh + oy) * ow + ox] = sum;
                        }
                    }
                }
            }

            Activate(y, conv.Activation, batch, f, oh * ow);
            return new(y, f, oh, ow, false);
        }

        private static Value Pool(Pool2DAttribute pool, double[] x, int batch, int c, int h, int w)
        {
            var k = pool.Size;
            var s = pool.Stride != 0 ? pool.Stride : k;
            var p = pool.Padding;
            int OutSize(int n)
            {
                var span = n + (2 * p) - k;
                var o = (pool.CeilMode ? (span + s - 1) / s : span / s) + 1;
                if (pool.CeilMode && (o - 1) * s >= n + p)
                {
                    o--;
                }

                return o;
            }

            var oh = OutSize(h);
            var ow = OutSize(w);
            var max = pool is MaxPool2DAttribute;
            var y = new double[batch * c * oh * ow];
            for (var nc = 0; nc < batch * c; nc++)
            {
                for (var oy = 0; oy < oh; oy++)
                {
                    for (var ox = 0; ox < ow; ox++)
                    {
                        var y0 = (oy * s) - p;
                        var x0 = (ox * s) - p;
                        var y1 = Math.Min(y0 + k, h + p);
                        var x1 = Math.Min(x0 + k, w + p);
                        var count = (y1 - y0) * (x1 - x0);
                        var best = double.NegativeInfinity;
                        var sum = 0.0;
                        for (var iy = Math.Max(y0, 0); iy < Math.Min(y1, h); iy++)
                        {
                            for (var ix = Math.Max(x0, 0); ix < Math.Min(x1, w); ix++)
                            {
                                var v = x[(((nc * h) + iy) * w) + ix];
                                best = Math.Max(best, v);
                                sum += v;
                            }
                        }

                        y[(((nc * oh) + oy) * ow) + ox] = max ? best : sum / count;
                    }
                }
            }

            return new(y, c, oh, ow, false);
        }

        private double[] BatchNorm(BatchNorm2DAttribute bn, string name, double[] x, int batch, int c, int plane)
        {
            var gamma = _tensors[name + ".weight"];
            var beta = _tensors[name + ".bias"];
            var y = new double[x.Length];
            for (var ch = 0; ch < c; ch++)
            {
                double mean, variance;
                if (Training)
                {
                    var values = Enumerable.Range(0, batch).SelectMany(n => x.Skip(((n * c) + ch) * plane).Take(plane)).ToArray();
                    mean = values.Average();
                    variance = values.Select(v => (v - mean) * (v - mean)).Average();
                }
                else
                {
                    mean = _tensors[name + ".running_mean"][ch];
                    variance = _tensors[name + ".running_var"][ch];
                }

                var scale = gamma[ch] / Math.Sqrt(variance + bn.Epsilon);
                for (var n = 0; n < batch; n++)
                {
                    for (var i = 0; i < plane; i++)
                    {
                        var at = (((n * c) + ch) * plane) + i;
                        y[at] = ((x[at] - mean) * scale) + beta[ch];
                    }
                }
            }

            return y;
        }

        /// <summary>A fused activation; Softmax runs over the channels (or features) at each pixel.</summary>
        private static void Activate(double[] y, Activation activation, int batch, int channels, int plane)
        {
            if (activation == Activation.Softmax)
            {
                Softmax(y, batch, channels, plane);
                return;
            }

            for (var i = 0; i < y.Length; i++)
            {
                y[i] = activation switch
                {
                    Activation.ReLU => Math.Max(y[i], 0),
                    Activation.Tanh => Math.Tanh(y[i]),
                    Activation.Sigmoid => 1 / (1 + Math.Exp(-y[i])),
                    Activation.ReLU6 => Math.Min(Math.Max(y[i], 0), 6),
                    _ => y[i],
                };
            }
        }

        /// <summary>Softmax over <paramref name="channels"/> values a <paramref name="plane"/> apart, for each sample and pixel.</summary>
        private static void Softmax(double[] y, int batch, int channels, int plane)
        {
            for (var n = 0; n < batch; n++)
            {
                for (var p = 0; p < plane; p++)
                {
                    var at = Enumerable.Range(0, channels).Select(ch => (((n * channels) + ch) * plane) + p).ToArray();
                    var max = at.Max(i => y[i]);
                    var sum = at.Sum(i => Math.Exp(y[i] - max));
                    foreach (var i in at)
                    {
                        y[i] = Math.Exp(y[i] - max) / sum;
                    }
                }
            }
        }

        /// <summary>A computed value: the batch's data and the per-sample shape (flat values have H = W = 1).</summary>
        private sealed record Value(double[] Data, int C, int H, int W, bool Flat);
    }
}
