using System.Collections.Generic;

namespace ConvGen.Samples.Digits
{
    /// <summary>One line of a <see cref="LineChart"/>: a value per epoch.</summary>
    /// <param name="Name">Shown in the legend.</param>
    /// <param name="Colour">CSS colour of the line.</param>
    /// <param name="Values">The value at epoch 1, 2, …</param>
    public sealed record ChartSeries(string Name, string Colour, IReadOnlyList<double> Values);
}
