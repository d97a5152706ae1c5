using System;

namespace ConvGen.Kernels.Convolution
{
    /// <summary>
    /// The geometry of one 2-D convolution of a single sample: input <c>[InChannels, InHeight, InWidth]</c>, weights
    /// <c>[OutChannels, InChannels, KernelHeight, KernelWidth]</c> (PyTorch's layout), output <c>[OutChannels, OutHeight, OutWidth]</c>,
    /// all plain row-major (NCHW without the N). Padding may differ per side; there is no dilation and one group.
    /// </summary>
    public sealed record ConvolutionShape
    {
        /// <summary>Checks every number and computes the output size.</summary>
        /// <exception cref="ArgumentOutOfRangeException">A size or stride is not positive, a padding is negative, or the kernel does not fit the padded input.</exception>
        public ConvolutionShape(int inChannels, int inHeight, int inWidth, int outChannels, int kernelHeight, int kernelWidth,
            int strideHeight = 1, int strideWidth = 1, int padTop = 0, int padLeft = 0, int padBottom = 0, int padRight = 0)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inHeight);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inWidth);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelHeight);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelWidth);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(strideHeight);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(strideWidth);
            ArgumentOutOfRangeException.ThrowIfNegative(padTop);
            ArgumentOutOfRangeException.ThrowIfNegative(padLeft);
            ArgumentOutOfRangeException.ThrowIfNegative(padBottom);
            ArgumentOutOfRangeException.ThrowIfNegative(padRight);
            if (kernelHeight > inHeight + padTop + padBottom)
            {
                throw new ArgumentOutOfRangeException(nameof(kernelHeight), kernelHeight,
                    $"The kernel is {kernelHeight} rows high but the padded input has only {inHeight + padTop + padBottom} rows.");
            }

            if (kernelWidth > inWidth + padLeft + padRight)
            {
                throw new ArgumentOutOfRangeException(nameof(kernelWidth), kernelWidth,
                    $"The kernel is {kernelWidth} columns wide but the padded input has only {inWidth + padLeft + padRight} columns.");
            }

            InChannels = inChannels;
            InHeight = inHeight;
            InWidth = inWidth;
            OutChannels = outChannels;
            KernelHeight = kernelHeight;
            KernelWidth = kernelWidth;
            StrideHeight = strideHeight;
            StrideWidth = strideWidth;
            PadTop = padTop;
            PadLeft = padLeft;
            PadBottom = padBottom;
            PadRight = padRight;
            OutHeight = ((inHeight + padTop + padBottom - kernelHeight) / strideHeight) + 1;
            OutWidth = ((inWidth + padLeft + padRight - kernelWidth) / strideWidth) + 1;
        }

        public int InChannels { get; }

        public int InHeight { get; }

        public int InWidth { get; }

        public int OutChannels { get; }

        public int KernelHeight { get; }

        public int KernelWidth { get; }

        public int StrideHeight { get; }

        public int StrideWidth { get; }

        public int PadTop { get; }

        public int PadLeft { get; }

        public int PadBottom { get; }

        public int PadRight { get; }

        public int OutHeight { get; }

        public int OutWidth { get; }

        /// <summary>Floats in one sample's input.</summary>
        public int InputLength => InChannels * InHeight * InWidth;

        /// <summary>Floats in the weight tensor.</summary>
        public int WeightLength => OutChannels * InChannels * KernelHeight * KernelWidth;

        /// <summary>Floats in one sample's output.</summary>
        public int OutputLength => OutChannels * OutHeight * OutWidth;

        /// <summary>Multiply-adds times two: the FLOP count of one sample.</summary>
        public double Flops => 2.0 * OutChannels * OutHeight * OutWidth * InChannels * KernelHeight * KernelWidth;
    }
}
