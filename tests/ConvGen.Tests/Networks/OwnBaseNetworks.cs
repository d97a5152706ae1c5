using ConvGen;

namespace ConvGen.Tests.Networks
{
    /// <summary>An application's own base class, with state and an abstract member, for a network to derive from.</summary>
    public abstract class ModelCard
    {
        public string Owner { get; init; } = "nobody";

        public abstract string Title { get; }
    }

    /// <summary>A network whose class has its own base class: the generated half adds only interfaces, so it may.</summary>
    [Input(2, 6, 6)]
    [Conv2D(3, 3, Padding = 1, Activation = Activation.ReLU)]
    [MaxPool2D(2)]
    [Flatten]
    [Dense(4)]
    public partial class OwnBaseNet : ModelCard
    {
        public override string Title => "small conv net of " + Owner;
    }

    /// <summary>The same layers as <see cref="OwnBaseNet"/>, without a base class.</summary>
    [Input(2, 6, 6)]
    [Conv2D(3, 3, Padding = 1, Activation = Activation.ReLU)]
    [MaxPool2D(2)]
    [Flatten]
    [Dense(4)]
    public partial class NoBaseNet { }
}
