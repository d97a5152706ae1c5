using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.CompilerServices;
using ConvGen;
using ConvGen.Data;
using ConvGen.Kernels;
using ConvGen.Samples;
using ConvGen.Samples.Classify;

// Classifies the 2,000 held-out MNIST digits with trained weights, and reports how fast: the numbers to compare a
// NativeAOT build with the JIT. --first stops after the first prediction (time it from outside for startup cost);
// --train makes the weights file (digits.safetensors beside this file is the committed one).
var train = Array.IndexOf(args, "--train") >= 0;
var firstOnly = Array.IndexOf(args, "--first") >= 0;
var dataFolder = Option("--data") ?? MnistFolder.Find();
var weights = Option("--weights") ?? Path.Combine(AppContext.BaseDirectory, "digits.safetensors");
var threads = int.TryParse(Option("--threads"), out var t) && t > 0 ? t : 1;
if (dataFolder is null)
{
    Console.Error.WriteLine("Could not find data/mnist above the current directory or the program's folder; pass --data <folder>.");
    return 2;
}

var test = Mnist.Load(dataFolder, "test");
var net = new DigitClassifier(seed: 1) { Threads = threads };
if (train)
{
    var options = new TrainerOptions { Epochs = 8, BatchSize = 32, Seed = 1, Schedule = new CosineSchedule(0.05f, 8) };
    Trainer.Fit(net, Mnist.Load(dataFolder, "train"), options, new Sgd(learningRate: 0.05f, momentum: 0.9f));
    net.Save(weights);
    Console.WriteLine($"Saved {weights}; held-out accuracy {Trainer.Evaluate(net, test, 100).Accuracy:0.00%}");
    return 0;
}

if (!File.Exists(weights))
{
    Console.Error.WriteLine($"No weights at {weights}; run with --train first, or pass --weights <file>.");
    return 2;
}

net.Load(weights);
var logits = new float[DigitClassifier.OutputLength];
net.Forward(test.Image(0), logits);
var sinceStart = DateTime.Now - Process.GetCurrentProcess().StartTime;
Console.WriteLine($"First digit: {ArgMax(logits)} (label {test.Label(0)}), {sinceStart.TotalMilliseconds:0} ms after the process started");
if (firstOnly)
{
    return 0;
}

const int batch = 100;
var outputs = new float[batch * DigitClassifier.OutputLength];
var best = double.MaxValue;
var correct = 0;
for (var pass = 0; pass < 5; pass++)
{
    correct = 0;
    var clock = Stopwatch.StartNew();
    for (var start = 0; start + batch <= test.Count; start += batch)
    {
        net.Forward(test.Images.Slice(start * DigitClassifier.InputLength, batch * DigitClassifier.InputLength), outputs, batch);
        for (var i = 0; i < batch; i++)
        {
            correct += ArgMax(outputs.AsSpan(i * DigitClassifier.OutputLength, DigitClassifier.OutputLength)) == test.Label(start + i) ? 1 : 0;
        }
    }

    best = Math.Min(best, clock.Elapsed.TotalSeconds);
}

var mode = RuntimeFeature.IsDynamicCodeSupported ? "JIT" : "NativeAOT";
Console.WriteLine($"{mode}, SIMD {Simd.Level}, {threads} thread(s): {correct} of {test.Count} correct ({(double)correct / test.Count:0.00%}); "
    + $"best of 5 passes {best * 1000:0.0} ms, {test.Count / best:N0} digits/s");
return 0;

string? Option(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

static int ArgMax(ReadOnlySpan<float> values)
{
    var best = 0;
    for (var i = 1; i < values.Length; i++)
    {
        if (values[i] > values[best])
        {
            best = i;
        }
    }

    return best;
}
