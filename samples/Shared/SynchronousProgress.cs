using System;

namespace ConvGen.Samples.Digits
{
    /// <summary>
    /// An <see cref="IProgress{T}"/> that runs its handler on the reporting thread, at once and in order
    /// (unlike <see cref="Progress{T}"/>, which posts to the thread pool when there is no synchronisation context).
    /// </summary>
    public sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
    {
        /// <inheritdoc/>
        public void Report(T value) => handler(value);
    }
}
