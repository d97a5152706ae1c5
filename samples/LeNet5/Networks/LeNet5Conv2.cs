namespace ConvGen.Samples.Digits
{
    /// <summary><see cref="LeNet5"/> up to conv2: its output is conv2's fifty feature maps (after ReLU, before pooling).</summary>
    [Input(1, 28, 28)]
    [Conv2D(20, 5, Padding = 2, Activation = Activation.ReLU)]
    [MaxPool2D(2)]
    [Conv2D(50, 5, Padding = 2, Activation = Activation.ReLU)]
    public partial class LeNet5Conv2 { }
}
