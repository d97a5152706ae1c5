using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace ConvGen.Threading
{
    /// <summary>
    /// Makes a network instance single-caller: <see cref="Enter"/> at the start of each public call that uses the
    /// instance's buffers, <see cref="Exit"/> at its end. A second thread entering while the first is inside gets an
    /// <see cref="InvalidOperationException"/> instead of silently corrupting both results. The owning thread may enter
    /// again (a call made from inside another). Costs one interlocked exchange per call; allocates nothing.
    /// </summary>
    public sealed class CallGuard
    {
        private readonly string _network;
        private int _owner;
        private int _depth;
        private string _operation = string.Empty;

        /// <summary>Creates the guard of one instance of <paramref name="network"/> (its class name, used in the message).</summary>
        public CallGuard(string network)
        {
            ArgumentNullException.ThrowIfNull(network);
            _network = network;
        }

        /// <summary>The class name of the network instance this guard protects.</summary>
        public string Network => _network;

        /// <summary>Marks the calling thread as running <paramref name="operation"/> on this instance.</summary>
        /// <exception cref="InvalidOperationException">Another thread is inside a call on this instance.</exception>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Enter(string operation)
        {
            var me = Environment.CurrentManagedThreadId;
            var owner = Interlocked.CompareExchange(ref _owner, me, 0);
            if (owner == 0)
            {
                _operation = operation;
                _depth = 1;
            }
            else if (owner == me)
            {
                _depth++;
            }
            else
            {
                throw new InvalidOperationException(
                    $"This {_network} instance is already running {Volatile.Read(ref _operation)} on another thread; use one instance per thread (a network's buffers hold one call's work).");
            }
        }

        /// <summary>Ends the call begun by the matching <see cref="Enter"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Exit()
        {
            if (--_depth == 0)
            {
                Volatile.Write(ref _owner, 0);
            }
        }
    }
}
