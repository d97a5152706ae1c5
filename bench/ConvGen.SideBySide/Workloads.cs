using System;
using System.Collections.Generic;
using System.Linq;

namespace ConvGen.SideBySide
{
    /// <summary>A number measured for one workload: a latency in µs, or a throughput in images/s; GFLOP/s where it has FLOPs.</summary>
    internal sealed record Result(double Value, string Unit, double GigaFlops = double.NaN)
    {
        public bool HigherIsBetter => Unit != "us";
    }

    /// <summary>The ConvGen side of every workload bench_torch.py measures, with the same shapes, batches and optimizer.</summary>
    internal static class Workloads
    {
        public static readonly string[] Names =
        {
            "lenet5_infer_b1", "lenet5_infer_b64", "lenet5_train_b64",
            "conv3x3_64x56_fwd", "conv3x3_64x56_bwd", "conv3x3_128x28_fwd", "conv3x3_128x28_bwd",
        };

        public static Result Run(string name, int threads) => name switch
        {
            "lenet5_infer_b1" => LeNetInference(threads, 1),
            "lenet5_infer_b64" => LeNetInference(threads, 64),
            "lenet5_train_b64" => LeNetTraining(threads),
            "conv3x3_64x56_fwd" => Conv(new Conv64x56(), threads, backward: false),
            "conv3x3_64x56_bwd" => Conv(new Conv64x56(), threads, backward: true),
            "conv3x3_128x28_fwd" => Conv(new Conv128x28(), threads, backward: false),
            "conv3x3_128x28_bwd" => Conv(new Conv128x28(), threads, backward: true),
            _ => throw new ArgumentException("Unknown workload " + name),
        };

        private static Result LeNetInference(int threads, int batch)
        {
            var net = new LeNet5(seed: 1) { Threads = threads };
            var input = Inputs(batch * LeNet5.InputLength);
            var output = new float[batch * LeNet5.OutputLength];
            var seconds = Measurement.MedianSeconds(() => net.Forward(input, output, batch));
            return batch == 1 ? new Result(seconds * 1e6, "us") : new Result(batch / seconds, "img/s");
        }

        public static Result LeNetTraining(int threads)
        {
            const int batch = 64;
            var net = new LeNet5(seed: 1) { Threads = threads };
            var input = Inputs(batch * LeNet5.InputLength);
            var labels = Enumerable.Range(0, batch).Select(i => i % 10).ToArray();
            var optimizer = new Sgd(learningRate: 0.01f, momentum: 0.9f);
            var seconds = Measurement.MedianSeconds(() => net.TrainStep(input, labels, batch, optimizer));
            return new Result(batch / seconds, "img/s");
        }

        /// <summary>Batch 1; backward computes the input and weight gradients (2× the forward FLOPs), as the PyTorch side does.</summary>
        private static Result Conv(INetwork net, int threads, bool backward)
        {
            net.Threads = threads;
            var input = Inputs(net.InputLength);
            var output = new float[net.OutputLength];
            var outputGradient = Inputs(net.OutputLength);
            var inputGradient = new float[net.InputLength];
            var weight = net.Parameters[0];
            var multiplyAdds = (double)net.OutputLength * weight.Length / weight.Dimension(0);
            double seconds;
            if (backward)
            {
                net.Forward(input, output);
                seconds = Measurement.MedianSeconds(() => net.Backward(outputGradient, inputGradient, 1));
            }
            else
            {
                seconds = Measurement.MedianSeconds(() => net.Forward(input, output));
            }

            var flops = 2 * multiplyAdds * (backward ? 2 : 1);
            return new Result(seconds * 1e6, "us", flops / seconds / 1e9);
        }

        private static float[] Inputs(int length)
        {
            var random = new Random(42);
            return Enumerable.Range(0, length).Select(_ => (float)random.NextDouble()).ToArray();
        }
    }
}
