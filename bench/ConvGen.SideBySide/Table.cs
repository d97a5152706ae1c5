using System;
using System.Collections.Generic;
using System.Linq;

namespace ConvGen.SideBySide
{
    /// <summary>Prints rows as a Markdown table, so the output pastes into docs/performance.md as it is.</summary>
    internal static class Table
    {
        public static void Print(string[] header, List<string[]> rows)
        {
            var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
            string Line(string[] cells) => "| " + string.Join(" | ", cells.Select((c, i) => c.PadRight(widths[i]))) + " |";
            Console.WriteLine(Line(header));
            Console.WriteLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
            foreach (var row in rows)
            {
                Console.WriteLine(Line(row));
            }
        }
    }
}
