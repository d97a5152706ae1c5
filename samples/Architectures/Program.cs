using System;
using System.Globalization;
using System.Linq;
using ConvGen.Samples.Architectures;

// Prints the compile-time summary of each classic architecture, or only of those named on the command line (ResNet50 GoogLeNet).
var unknown = args.Where(name => Catalogue.All.All(a => !a.Name.Equals(name, StringComparison.OrdinalIgnoreCase))).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"Unknown architecture {string.Join(", ", unknown)}; choose from {string.Join(", ", Catalogue.All.Select(a => a.Name))}.");
    return 2;
}

foreach (var architecture in Catalogue.All.Where(a => args.Length == 0 || args.Contains(a.Name, StringComparer.OrdinalIgnoreCase)))
{
    var heading = string.Format(CultureInfo.InvariantCulture, "{0}: {1} — {2:#,0} parameters", architecture.Name, architecture.Title, architecture.ParameterCount);
    Console.WriteLine(heading);
    Console.WriteLine(new string('=', heading.Length));
    Console.WriteLine(architecture.Summary);
    Console.WriteLine();
}

return 0;
