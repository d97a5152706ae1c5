using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;

namespace ConvGen
{
    /// <summary>
    /// Where a network's calls spend their time, layer by layer: attach one to a generated network's <c>Profile</c>
    /// property, run the calls to measure, and read <see cref="Steps"/> (or print it: <see cref="ToString"/> is a table).
    /// Each step the network runs — a layer's forward, its backward, the reduction of the workers' gradients — is timed
    /// on the calling thread with <see cref="Stopwatch"/>, from its start until every worker's share is done, so the
    /// times of one call add up to about that call's time. Calls made while no profile is attached cost one null check
    /// per step.
    /// </summary>
    /// <remarks>
    /// A profile belongs to the first network it is attached to; attaching it to another throws (its steps are that
    /// network's). It is not thread-safe, as the network it profiles takes one caller at a time.
    /// </remarks>
    public sealed class LayerProfile
    {
        private string?[] _names = Array.Empty<string?>();
        private long[] _calls = Array.Empty<long>();
        private long[] _ticks = Array.Empty<long>();
        private readonly List<int> _order = new();
        private object? _owner;

        /// <summary>
        /// What each step recorded, in the order the steps first ran (a forward pass's steps in layer order, then a
        /// backward pass's in reverse order).
        /// </summary>
        public IReadOnlyList<StepTiming> Steps
        {
            get
            {
                var steps = new StepTiming[_order.Count];
                for (var i = 0; i < steps.Length; i++)
                {
                    var slot = _order[i];
                    steps[i] = new StepTiming(_names[slot]!, _calls[slot], Stopwatch.GetElapsedTime(0, _ticks[slot]));
                }

                return steps;
            }
        }

        /// <summary>The sum of every step's <see cref="StepTiming.Elapsed"/> (each step's time converted on its own, so the sum matches them exactly).</summary>
        public TimeSpan Total
        {
            get
            {
                var total = TimeSpan.Zero;
                foreach (var slot in _order)
                {
                    total += Stopwatch.GetElapsedTime(0, _ticks[slot]);
                }

                return total;
            }
        }

        /// <summary>Forgets what was recorded; the profile stays attached.</summary>
        public void Clear()
        {
            Array.Clear(_calls);
            Array.Clear(_ticks);
            _order.Clear();
        }

        /// <summary>
        /// A plain-text table: per step its calls, total and mean milliseconds and share of <see cref="Total"/>, slowest
        /// first (steps of equal time in the order they first ran).
        /// </summary>
        public override string ToString()
        {
            var total = Total.TotalMilliseconds;
            var text = new StringBuilder();
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{"share",6}  {"total ms",10}  {"mean ms",9}  {"calls",7}  step"));
            foreach (var step in Steps.OrderByDescending(s => s.Elapsed))
            {
                var share = total > 0 ? 100 * step.Elapsed.TotalMilliseconds / total : 0;
                text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"{share,5:F1}%  {step.Elapsed.TotalMilliseconds,10:F3}  {step.Mean.TotalMilliseconds,9:F4}  {step.Calls,7}  {step.Step}"));
            }

            text.Append(string.Create(CultureInfo.InvariantCulture, $"{"100.0%",6}  {total,10:F3}  {"",9}  {"",7}  all steps"));
            return text.ToString();
        }

        /// <summary>Makes this profile <paramref name="owner"/>'s, or throws when it already belongs to another network.</summary>
        internal void Attach(object owner, string network)
        {
            if (_owner is not null && !ReferenceEquals(_owner, owner))
            {
                throw new ArgumentException($"This profile already records another network's steps; attach a new LayerProfile to this {network}.", "value");
            }

            _owner = owner;
        }

        /// <summary>Adds one run of step <paramref name="slot"/> (named <paramref name="name"/> the first time) that took <paramref name="ticks"/> <see cref="Stopwatch"/> ticks.</summary>
        internal void Add(int slot, string name, long ticks)
        {
            if (slot >= _calls.Length)
            {
                var size = Math.Max(slot + 1, 2 * _calls.Length);
                Array.Resize(ref _names, size);
                Array.Resize(ref _calls, size);
                Array.Resize(ref _ticks, size);
            }

            if (_calls[slot] == 0)
            {
                _names[slot] = name;
                _order.Add(slot);
            }

            _calls[slot]++;
            _ticks[slot] += ticks;
        }
    }
}
