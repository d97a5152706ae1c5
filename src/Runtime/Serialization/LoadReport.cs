using System;
using System.Collections.Generic;

namespace ConvGen
{
    /// <summary>What <see cref="NetworkSerialization.Load"/> did with each tensor of the network and of the file.</summary>
    /// <param name="Loaded">Network tensors set from the file, in the network's order.</param>
    /// <param name="NotLoaded">Network tensors left as they were: missing from the file or not matching it (non-strict loads only).</param>
    /// <param name="Unused">File tensors that set nothing: not in the network or not matching it (non-strict loads only).</param>
    /// <param name="Ignored">BatchNorm's <c>num_batches_tracked</c> counters in the file, which ConvGen has no use for.</param>
    /// <param name="Differences">One sentence per difference between the file and the network; empty for a file that matches.</param>
    public sealed record LoadReport(
        IReadOnlyList<string> Loaded,
        IReadOnlyList<string> NotLoaded,
        IReadOnlyList<string> Unused,
        IReadOnlyList<string> Ignored,
        IReadOnlyList<string> Differences)
    {
        /// <summary>"loaded 4 tensors, ignored 1; 2 differences:" followed by one line per difference.</summary>
        public override string ToString() =>
            $"loaded {Loaded.Count} tensor{Plural(Loaded.Count)}, ignored {Ignored.Count}; {Differences.Count} difference{Plural(Differences.Count)}"
            + (Differences.Count == 0 ? "" : ":" + Environment.NewLine + "  - " + string.Join(Environment.NewLine + "  - ", Differences));

        internal static string Plural(int count) => count == 1 ? "" : "s";
    }
}
