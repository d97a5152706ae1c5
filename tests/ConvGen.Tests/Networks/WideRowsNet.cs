using ConvGen;

namespace ConvGen.Tests.Networks
{
    /// <summary>
    /// Convs whose rows are wide enough (27) for ∂L/∂W without im2col: a 2×4 kernel with Same padding (uneven sides) on
    /// 3 input channels (∂L/∂x by col2im, into the network's input gradient), then a 3×3 one 10→9 (∂L/∂x direct), then a
    /// 1×1 one (which keeps the GEMM).
    /// </summary>
    [Input(3, 6, 27)]
    [Conv2D(10, 2, KernelHeight = 2, KernelWidth = 4, PaddingMode = PaddingMode.Same, Activation = Activation.Tanh)]
    [Conv2D(9, 3, Padding = 1, Activation = Activation.ReLU)]
    [Conv2D(4, 1)]
    [MaxPool2D(3)]
    [Flatten]
    [Dense(3)]
    public partial class WideRowsNet { }
}
