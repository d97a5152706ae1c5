namespace ConvGen.Samples.Architectures
{
    /// <summary>
    /// LeNet-5 as it is usually written today (and trained by samples/LeNet5): two 5×5 ReLU convolutions with max pooling, then
    /// two dense layers, for 28×28 MNIST digits; 1,256,080 parameters.
    /// </summary>
    [Input(1, 28, 28, ExpectedParameters = 1256080)]
    [Conv2D(20, 5, Padding = 2, Activation = Activation.ReLU)]
    [MaxPool2D(2)]
    [Conv2D(50, 5, Padding = 2, Activation = Activation.ReLU)]
    [MaxPool2D(2)]
    [Flatten]
    [Dense(500, Activation = Activation.ReLU)]
    [Dense(10)]
    public partial class LeNet5 { }
}
