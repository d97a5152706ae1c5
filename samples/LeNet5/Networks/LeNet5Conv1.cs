namespace ConvGen.Samples.Digits
{
    /// <summary>The first layer of <see cref="LeNet5"/> on its own: its output is conv1's twenty feature maps.</summary>
    [Input(1, 28, 28)]
    [Conv2D(20, 5, Padding = 2, Activation = Activation.ReLU)]
    public partial class LeNet5Conv1 { }
}
