namespace ConvGen.Generator.Emit.Network
{
    /// <summary>
    /// The network's <c>INetwork</c> members: its storage as properties, and every call handed to its <c>NetworkRunner</c>,
    /// which checks the arguments and runs the network's schedule.
    /// </summary>
    internal static class SurfaceEmitter
    {
        public static void EmitProperties(SourceWriter w, NetworkPlan plan)
        {
            w.Lines(@"int global::ConvGen.INetwork.InputLength => InputLength;

int global::ConvGen.INetwork.OutputLength => OutputLength;

/// <inheritdoc />
public global::ConvGen.ParameterList Parameters => _parameterList;

/// <inheritdoc />
public global::ConvGen.ParameterList Buffers => _bufferList;

/// <inheritdoc />
public global::System.Span<float> ParameterValues
{
    get
    {
        _writes.Expose();
        return _parameters;
    }
}

/// <inheritdoc />
public global::System.Span<float> ParameterGradients => _gradients;

/// <inheritdoc />
public bool EndsWithSoftmax => " + (plan.EndsWithSoftmax ? "true" : "false") + @";

/// <inheritdoc />
public bool Training
{
    get => _runner.Training;
    set => _runner.Training = value;
}

/// <inheritdoc />
public int Threads
{
    get => _runner.Threads;
    set => _runner.Threads = value;
}

/// <inheritdoc />
public global::ConvGen.LayerProfile? Profile
{
    get => _runner.Profile;
    set => _runner.Profile = value;
}
");
        }

        public static void EmitCalls(SourceWriter w)
        {
            const string Span = TypeNames.Span;
            const string ReadOnlySpan = TypeNames.ReadOnlySpan;
            w.Lines(@"/// <inheritdoc />
public void Forward(" + ReadOnlySpan + @" input, " + Span + @" output) => _runner.Forward(input, output, 1);

/// <inheritdoc />
public void Forward(" + ReadOnlySpan + @" input, " + Span + @" output, int batchSize) => _runner.Forward(input, output, batchSize);

/// <inheritdoc />
public void Backward(" + ReadOnlySpan + @" outputGradient, int batchSize) => _runner.Backward(outputGradient, batchSize);

/// <inheritdoc />
public void Backward(" + ReadOnlySpan + @" outputGradient, " + Span + @" inputGradient, int batchSize) => _runner.Backward(outputGradient, inputGradient, batchSize);

/// <inheritdoc />
public void ZeroGradients() => _runner.ZeroGradients();

/// <inheritdoc />
public float TrainStep(" + ReadOnlySpan + @" inputs, global::System.ReadOnlySpan<int> labels, int batchSize, global::ConvGen.Optimizer optimizer) => _runner.TrainStep(inputs, labels, batchSize, optimizer);

/// <inheritdoc />
public float TrainStep(" + ReadOnlySpan + @" inputs, " + ReadOnlySpan + @" targets, int batchSize, global::ConvGen.Optimizer optimizer) => _runner.TrainStep(inputs, targets, batchSize, optimizer);
");
        }
    }
}
