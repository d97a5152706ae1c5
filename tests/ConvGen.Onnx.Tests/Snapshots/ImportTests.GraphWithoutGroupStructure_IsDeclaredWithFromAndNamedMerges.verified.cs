// Imported from ladder.onnx by `convgen import`: 8 layers, 399 parameters.
// The weights are in LadderImported.safetensors: net.Load("LadderImported.safetensors").
using ConvGen;

namespace ConvGen.Imported
{
    [Input(2, 6, 6, ExpectedParameters = 399)]
    [Conv2D(4, 3, Padding = 1, Name = "a")]
    [Conv2D(4, 3, Padding = 1, Activation = Activation.ReLU, Name = "b")]
    [Add("a", "b", Expect = "4x6x6")]
    [Conv2D(4, 3, Padding = 1, Name = "d", From = "b")]
    [Concat("add1", "d", Expect = "8x6x6")]
    [GlobalAvgPool2D(Expect = "8x1x1")]
    [Flatten(Expect = "8")]
    [Dense(3, Expect = "3")]
    public partial class LadderImported { }
}
