namespace ConvGen.Networks
{
    /// <summary>
    /// What a network knows about writes to its parameters, so convolution kernels that keep packed weights need not
    /// compare every weight on every call. The network's own writes (<c>NetworkSerialization.Load</c>, the optimizer step of
    /// <c>TrainStep</c>) advance a version; kernels packed at the current version are up to date. Once a writable view of
    /// the parameters has been handed out (<see cref="Parameter.Values"/>, <c>INetwork.ParameterValues</c>) anything may be
    /// written at any time, through a span held across calls too: from then on <see cref="Stamp"/> is
    /// <see cref="Unknown"/> and the kernels compare the weights with a copy of what they packed, as they must.
    /// </summary>
    public sealed class ParameterWrites
    {
        /// <summary>A stamp that promises nothing: the weights are compared with the ones packed last.</summary>
        public const long Unknown = -1;

        private long _version;
        private long _versionOfLastPass = -1;
        private bool _exposed;

        /// <summary>
        /// The version of the parameters, which equal stamps promise are unchanged, or <see cref="Unknown"/> once a writable
        /// view has been handed out.
        /// </summary>
        public long Stamp => _exposed ? Unknown : _version;

        /// <summary>A writable view of the parameters was handed out: from now on every stamp is <see cref="Unknown"/>.</summary>
        public void Expose() => _exposed = true;

        /// <summary>
        /// Whether the forward pass under way runs on the parameters of the pass before it, as far as the network knows (set
        /// by <see cref="StartPass"/>): false on the first pass and on the first pass after a load or an optimizer step,
        /// true once a writable view has been handed out (nothing is known then; the kernels compare). A kernel that packs
        /// weights for many calls (<c>DenseForward</c>) packs only settled ones: in training every pass has new weights,
        /// which packing ahead would copy for one use.
        /// </summary>
        public bool Settled { get; private set; }

        /// <summary>The network wrote its parameters itself (a load, an optimizer step): the next stamp differs.</summary>
        public void Changed() => _version++;

        /// <summary>A forward pass starts (<c>NetworkRunner</c> calls this before its steps, on one thread): sets <see cref="Settled"/>.</summary>
        public void StartPass()
        {
            Settled = _exposed || _version == _versionOfLastPass;
            _versionOfLastPass = _version;
        }
    }
}
