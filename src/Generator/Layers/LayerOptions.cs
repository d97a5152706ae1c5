using System.Collections.Generic;
using System.Linq;

namespace ConvGen.Generator.Layers
{
    /// <summary>
    /// The one description of a layer's options (<see cref="LayerKind.Describe"/>), rendered two ways: long for the comment
    /// heading its generated code ("1→20, 5×5, stride 1, pad 2") and compact for the Summary table's Kind column
    /// ("5×5 /1 p2"). An option may have no compact form where the table shows it in another column.
    /// </summary>
    internal sealed class LayerOptions
    {
        private readonly List<(string Long, string? Compact)> _options = new();

        /// <summary>An option written <paramref name="text"/> both ways.</summary>
        public void Add(string text) => _options.Add((text, text));

        /// <summary>An option with its long and compact forms (null: the table leaves it out).</summary>
        public void Add(string longText, string? compact) => _options.Add((longText, compact));

        /// <summary>"1→20, 5×5, stride 1, pad 2"; empty when the layer has no options.</summary>
        public string Long => string.Join(", ", _options.Select(o => o.Long));

        /// <summary>"5×5 /1 p2"; empty when the layer has no options the table shows.</summary>
        public string Compact => string.Join(" ", _options.Where(o => o.Compact is not null).Select(o => o.Compact));
    }
}
