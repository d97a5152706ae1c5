using ConvGen;

namespace ConvGen.Tests.Networks
{
    // Tiny networks for the lecture's worked examples.
    [Input(1, 4, 4)] [Conv2D(1, 2, Bias = false, Expect = "1x3x3")] public partial class Conv2x2On4x4 { }

    [Input(1, 5, 5)] [Conv2D(1, 3, Bias = false, Expect = "1x3x3")] public partial class Conv3x3On5x5 { }

    [Input(1, 4, 4)] [MaxPool2D(2, Expect = "1x2x2")] public partial class MaxPool2On4x4 { }

    [Input(1, 4, 4)] [AvgPool2D(2, Expect = "1x2x2")] public partial class AvgPool2On4x4 { }

    [Input(1, 4, 4)] [MaxPool2D(2, Stride = 1, Expect = "1x3x3")] public partial class MaxPool2Stride1On4x4 { }

    [Input(1, 5, 5)] [MaxPool2D(3, Stride = 1, Expect = "1x3x3")] public partial class MaxPool3Stride1On5x5 { }
}
