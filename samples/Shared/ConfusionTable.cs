using Spectre.Console;

namespace ConvGen.Samples.Digits
{
    /// <summary>Renders a confusion matrix as a Spectre.Console table: rows are true digits, columns predictions, the diagonal in green.</summary>
    public static class ConfusionTable
    {
        /// <summary>A table for <paramref name="confusion"/>, indexed [true label, predicted class].</summary>
        public static Table Create(int[,] confusion)
        {
            var classes = confusion.GetLength(0);
            var table = new Table().Border(TableBorder.Rounded).Title("Confusion matrix (rows: true digit, columns: predicted)");
            table.AddColumn(new TableColumn("[bold]true[/]").RightAligned());
            for (var predicted = 0; predicted < classes; predicted++)
            {
                table.AddColumn(new TableColumn($"[bold]{predicted}[/]").RightAligned());
            }

            for (var label = 0; label < classes; label++)
            {
                var cells = new string[classes + 1];
                cells[0] = $"[bold]{label}[/]";
                for (var predicted = 0; predicted < classes; predicted++)
                {
                    var count = confusion[label, predicted];
                    cells[predicted + 1] = predicted == label ? $"[green]{count}[/]" : count == 0 ? "[grey]·[/]" : $"[red]{count}[/]";
                }

                table.AddRow(cells);
            }

            return table;
        }
    }
}
