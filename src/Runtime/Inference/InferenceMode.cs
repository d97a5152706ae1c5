using System;

namespace ConvGen
{
    /// <summary>Puts a network in inference mode (<see cref="INetwork.Training"/> false) until disposed, then restores the flag it had.</summary>
    internal readonly struct InferenceMode : IDisposable
    {
        private readonly INetwork _network;
        private readonly bool _wasTraining;

        public InferenceMode(INetwork network)
        {
            _network = network;
            _wasTraining = network.Training;
            network.Training = false;
        }

        public void Dispose() => _network.Training = _wasTraining;
    }
}
