namespace ConvGen.Samples.Digits
{
    /// <summary>LeCun's LeNet-5 in its common modern form: two 5×5 ReLU convolutions with max pooling, then two dense layers.</summary>
    [Input(1, 28, 28)]
    [Conv2D(20, 5, Padding = 2, Activation = Activation.ReLU)]
    [MaxPool2D(2)]
    [Conv2D(50, 5, Padding = 2, Activation = Activation.ReLU)]
    [MaxPool2D(2)]
    [Flatten]
    [Dense(500, Activation = Activation.ReLU)]
    [Dense(10)]
    public partial class LeNet5 { }
}
