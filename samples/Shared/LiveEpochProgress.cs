using System;
using System.Collections.Generic;
using Spectre.Console;

namespace ConvGen.Samples.Digits
{
    /// <summary>
    /// The live training display: one Spectre.Console progress row per epoch (description, bar, percentage, elapsed time) that fits
    /// an 80-column terminal. A row's clock stops when its epoch ends, so finished epochs show how long they took.
    /// </summary>
    public sealed class LiveEpochProgress(ProgressContext context, int epochs) : IProgress<TrainingProgress>
    {
        private readonly List<ProgressTask> _rows = new();

        /// <summary>One row per epoch begun so far, in order.</summary>
        public IReadOnlyList<ProgressTask> Rows => _rows;

        /// <summary>The columns of a row: <see cref="EpochLine.DescriptionWidth"/> + 1 + 14 + 1 + 4 + 1 + 8 = 80 columns.</summary>
        public static ProgressColumn[] Columns() =>
        [
            new TaskDescriptionColumn { Alignment = Justify.Left },
            new ProgressBarColumn { Width = 14 },
            new PercentageColumn(),
            new ElapsedTimeColumn(),
        ];

        /// <inheritdoc/>
        public void Report(TrainingProgress value)
        {
            var description = Markup.Escape(EpochLine.Describe(value, epochs));
            if (_rows.Count <= value.Epoch)
            {
                _rows.Add(context.AddTask(description, maxValue: value.BatchesPerEpoch));
            }

            var row = _rows[value.Epoch];
            row.Value = value.Batch + 1;
            row.Description = description;
            if (value.IsEpochEnd)
            {
                row.StopTask();
            }
        }
    }
}
