namespace ConvGen.Networks
{
    /// <summary>
    /// A generated network whose convolutions keep their weights packed in their kernels' order (the direct and Winograd
    /// convolutions). <see cref="PackWeights"/> packs them from the current parameters now, so the next forward call finds
    /// them ready: <c>NetworkSerialization.Load</c> calls it (ONNX Runtime packs at session creation). The constructor
    /// does not — loading or training changes the weights again — so a network run with its initial weights packs them on
    /// its first call. After any other write to the parameters (an optimizer step, <c>Parameter.Values</c>) each kernel repacks
    /// on its next call, when it sees the weights changed (<see cref="ParameterWrites"/> says how it sees it).
    /// </summary>
    public interface IPackedWeights
    {
        /// <summary>Packs every kernel's weights from the current parameter values.</summary>
        void PackWeights();
    }
}
