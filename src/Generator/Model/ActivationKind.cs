namespace ConvGen.Generator.Model
{
    /// <summary>Mirror of <c>ConvGen.Activation</c> (the generator cannot reference the attribute assembly).</summary>
    internal enum ActivationKind
    {
        None = 0,
        ReLU = 1,
        Tanh = 2,
        Sigmoid = 3,
        Softmax = 4,
    }
}
