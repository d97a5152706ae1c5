using System;
using System.CommandLine;
using System.IO;
using ConvGen.Samples;
using ConvGen.Samples.Filters;

var data = new Option<DirectoryInfo?>("--data") { Description = "Folder with the MNIST IDX files [default: data/mnist, searched for upwards]" };
var digit = new Option<int>("--digit") { Description = "Which test digit to filter (0-based index)", DefaultValueFactory = _ => 0 };
var output = new Option<FileInfo>("--output") { Description = "Where to write the picture", DefaultValueFactory = _ => new FileInfo(Path.Combine("out", "filters", "filters.html")) };
digit.Validators.Add(result =>
{
    if (result.GetValueOrDefault<int>() < 0)
    {
        result.AddError("--digit must not be negative.");
    }
});

var root = new RootCommand("Applies classic 3×3 image kernels (edge detection, sharpen, blur, Sobel), declared as a ConvGen network, to an MNIST digit and draws the results.")
{
    data, digit, output,
};
root.SetAction(parseResult =>
{
    var dataFolder = parseResult.GetValue(data)?.FullName ?? MnistFolder.Find();
    if (dataFolder is null)
    {
        Console.Error.WriteLine("Could not find data/mnist above the current directory or the program's folder; pass --data <folder>.");
        return 2;
    }

    var path = parseResult.GetValue(output)!.FullName;
    try
    {
        FilterSample.Run(dataFolder, parseResult.GetValue(digit), path);
    }
    catch (Exception e) when (e is ArgumentOutOfRangeException or IOException or InvalidDataException or UnauthorizedAccessException)
    {
        Console.Error.WriteLine(e.Message);
        return 2;
    }

    Console.WriteLine($"Wrote {path}");
    return 0;
});
return root.Parse(args).Invoke();
