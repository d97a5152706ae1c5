using System;
using System.Linq;
using ConvGen.Kernels.Convolution;

namespace ConvGen.Runtime.Tests.Convolution
{
    /// <summary>The float64 convolution the direct and Winograd kernels are checked against, and the check.</summary>
    internal static class ConvolutionReference
    {
        /// <summary>act(conv·scale + shift) in float64, straight from the definition.</summary>
        public static double[] Forward(ConvolutionShape s, float[] x, float[] w, float[] scale, float[] shift, Activation activation)
        {
            var y = new double[s.OutputLength];
            for (var o = 0; o < s.OutChannels; o++)
            for (var oy = 0; oy < s.OutHeight; oy++)
            for (var ox = 0; ox < s.OutWidth; ox++)
            {
                double sum = 0;
                for (var i = 0; i < s.InChannels; i++)
                for (var ky = 0; ky < s.KernelHeight; ky++)
                for (var kx = 0; kx < s.KernelWidth; kx++)
                {
                    var iy = (oy * s.StrideHeight) + ky - s.PadTop;
                    var ix = (ox * s.StrideWidth) + kx - s.PadLeft;
                    if (iy < 0 || iy >= s.InHeight || ix < 0 || ix >= s.InWidth) continue;
                    sum += (double)x[(((i * s.InHeight) + iy) * s.InWidth) + ix] * w[(((((o * s.InChannels) + i) * s.KernelHeight) + ky) * s.KernelWidth) + kx];
                }

                var z = (sum * (scale.Length == 0 ? 1.0 : scale[o])) + (shift.Length == 0 ? 0.0 : shift[o]);
                y[(((o * s.OutHeight) + oy) * s.OutWidth) + ox] = activation switch
                {
                    Activation.ReLU => Math.Max(z, 0),
                    Activation.ReLU6 => Math.Min(Math.Max(z, 0), 6),
                    Activation.Tanh => Math.Tanh(z),
                    Activation.Sigmoid => 1 / (1 + Math.Exp(-z)),
                    _ => z,
                };
            }

            return y;
        }

        /// <summary>∂L/∂x[i, iy, ix] = Σ over the outputs that read x[i, iy, ix] of ∂L/∂y · w, in float64 (the forward's definition read backwards).</summary>
        public static double[] DataGradient(ConvolutionShape s, float[] dy, float[] w)
        {
            var dx = new double[s.InputLength];
            for (var o = 0; o < s.OutChannels; o++)
            for (var oy = 0; oy < s.OutHeight; oy++)
            for (var ox = 0; ox < s.OutWidth; ox++)
            for (var i = 0; i < s.InChannels; i++)
            for (var ky = 0; ky < s.KernelHeight; ky++)
            for (var kx = 0; kx < s.KernelWidth; kx++)
            {
                var iy = (oy * s.StrideHeight) + ky - s.PadTop;
                var ix = (ox * s.StrideWidth) + kx - s.PadLeft;
                if (iy < 0 || iy >= s.InHeight || ix < 0 || ix >= s.InWidth) continue;
                dx[(((i * s.InHeight) + iy) * s.InWidth) + ix] +=
                    (double)dy[(((o * s.OutHeight) + oy) * s.OutWidth) + ox] * w[(((((o * s.InChannels) + i) * s.KernelHeight) + ky) * s.KernelWidth) + kx];
            }

            return dx;
        }

        /// <summary>∂L/∂W[o, i, ky, kx] = Σ over samples and outputs of ∂L/∂y[o, oy, ox] · x[i, oy·strideY + ky − padTop, ox·strideX + kx − padLeft], in float64; samples lie <paramref name="inputStride"/> and <paramref name="gradientStride"/> floats apart.</summary>
        public static double[] WeightGradient(ConvolutionShape s, float[] inputs, int inputStride, float[] outputGradients, int gradientStride, int samples)
        {
            var dw = new double[s.WeightLength];
            for (var n = 0; n < samples; n++)
            for (var o = 0; o < s.OutChannels; o++)
            for (var i = 0; i < s.InChannels; i++)
            for (var ky = 0; ky < s.KernelHeight; ky++)
            for (var kx = 0; kx < s.KernelWidth; kx++)
            {
                double sum = 0;
                for (var oy = 0; oy < s.OutHeight; oy++)
                for (var ox = 0; ox < s.OutWidth; ox++)
                {
                    var iy = (oy * s.StrideHeight) + ky - s.PadTop;
                    var ix = (ox * s.StrideWidth) + kx - s.PadLeft;
                    if (iy < 0 || iy >= s.InHeight || ix < 0 || ix >= s.InWidth) continue;
                    sum += (double)outputGradients[(n * gradientStride) + (((o * s.OutHeight) + oy) * s.OutWidth) + ox]
                        * inputs[(n * inputStride) + (((i * s.InHeight) + iy) * s.InWidth) + ix];
                }

                dw[(((((o * s.InChannels) + i) * s.KernelHeight) + ky) * s.KernelWidth) + kx] += sum;
            }

            return dw;
        }

        /// <summary>Every output within 1e-4 of the largest expected magnitude (at least 1).</summary>
        public static void AssertClose(double[] expected, float[] actual, string what)
        {
            var tolerance = 1e-4 * Math.Max(1.0, expected.Max(Math.Abs));
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"{what}: output[{i}] = {actual[i]}, expected {expected[i]}");
            }
        }
    }
}
