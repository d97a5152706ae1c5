using System;

namespace ConvGen.Samples.Filters
{
    /// <summary>One 3×3 convolution without bias whose nine output channels are the <see cref="ClassicKernel.All"/> kernels.</summary>
    [Input(1, 28, 28)]
    [Conv2D(9, 3, Padding = 1, Bias = false)]
    public partial class FilterBank
    {
        /// <summary>A filter bank with its weights set to the classic kernels (conv1.weight is [9, 1, 3, 3]).</summary>
        public static FilterBank WithClassicKernels()
        {
            var bank = new FilterBank();
            var weights = new float[ClassicKernel.All.Length * 9];
            for (var k = 0; k < ClassicKernel.All.Length; k++)
            {
                ClassicKernel.All[k].Weights.AsSpan().CopyTo(weights.AsSpan(k * 9, 9));
            }

            bank.Parameters["conv1.weight"].Write(weights);
            return bank;
        }
    }
}
