using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConvGen.Serialization;

namespace ConvGen.SideBySide
{
    /// <summary>
    /// The ConvGen side of one workload: the network with the shared weights (bench/models/&lt;network&gt;.safetensors when
    /// present, else ConvGen's own seeded init), its input, and the call that is timed. Nothing runs the network until
    /// <see cref="Call"/> or <see cref="Reference"/> does, so a cold measurement sees the very first call.
    /// </summary>
    internal sealed class ConvGenSide
    {
        private readonly INetwork _net;
        private readonly float[] _output;
        private readonly float[] _outputGradient;
        private readonly float[] _inputGradient;
        private readonly int[] _labels;
        private readonly Sgd _optimizer = new(learningRate: 0.01f, momentum: 0.9f);

        public ConvGenSide(Workload workload, int threads, string? weights)
        {
            Workload = workload;
            Network = BenchNetwork.Find(workload.Network);
            _net = Network.Create();
            if (weights is not null)
            {
                _net.Load(weights);
            }

            _net.Threads = threads;
            Input = Network.Input(workload.Batch);
            _output = new float[workload.Batch * _net.OutputLength];
            _outputGradient = BenchNetwork.Uniform(_net.OutputLength, seed: 7);
            _inputGradient = new float[_net.InputLength];
            _labels = Enumerable.Range(0, workload.Batch).Select(i => i % 10).ToArray();
            var passes = workload.Kind == WorkloadKind.ConvBackward ? 2 : 1;
            FlopsPerCall = 2.0 * MultiplyAdds.Forward(((IDescribedNetwork)_net).Description) * workload.Batch * passes;
        }

        public Workload Workload { get; }

        /// <summary>The network's layer profile (see <see cref="LayerProfile"/>), null for none.</summary>
        public LayerProfile? Profile
        {
            get => _net.Profile;
            set => _net.Profile = value;
        }

        public BenchNetwork Network { get; }

        /// <summary>The batch every side is given (uniform in [0, 1), seed 42).</summary>
        public float[] Input { get; }

        /// <summary>2·MACs of one call: the forward pass over the batch, twice that for a conv's backward (input and weight gradients).</summary>
        public double FlopsPerCall { get; }

        /// <summary>The timed call. Training is forward + cross-entropy + backward + SGD (lr 0.01, momentum 0.9) as in bench_torch.py.</summary>
        public void Call()
        {
            switch (Workload.Kind)
            {
                case WorkloadKind.Inference: _net.Forward(Input, _output, Workload.Batch); break;
                case WorkloadKind.Training: _net.TrainStep(Input, _labels, Workload.Batch, _optimizer); break;
                default: _net.Backward(_outputGradient, _inputGradient, 1); break;
            }
        }

        /// <summary>For a conv backward, runs the forward pass the timed backward calls start from (outside the timing); else nothing.</summary>
        public void Setup()
        {
            if (Workload.Kind == WorkloadKind.ConvBackward)
            {
                _net.Forward(Input, _output, 1);
            }
        }

        /// <summary>
        /// ConvGen's results on <see cref="Input"/>, the untrained network: "input" and "output" (the forward pass), and for a
        /// conv backward also "output_grad", "input_grad" and "weight_grad". Call before timing (it leaves the network's
        /// forward state in place for <see cref="Call"/> to run backward from).
        /// </summary>
        public IReadOnlyDictionary<string, SafeTensor> Reference()
        {
            var result = new Dictionary<string, SafeTensor>
            {
                ["input"] = SafeTensor.FromFloats("input", BenchNetwork.Batched(Workload.Batch, Network.InputShape), Input),
            };
            _net.Forward(Input, _output, Workload.Batch);
            result["output"] = SafeTensor.FromFloats("output", BenchNetwork.Batched(Workload.Batch, Network.OutputShape), _output);
            if (Workload.Kind == WorkloadKind.ConvBackward)
            {
                _net.ZeroGradients();
                _net.Backward(_outputGradient, _inputGradient, 1);
                var weight = _net.Parameters[0];
                result["output_grad"] = SafeTensor.FromFloats("output_grad", BenchNetwork.Batched(1, Network.OutputShape), _outputGradient);
                result["input_grad"] = SafeTensor.FromFloats("input_grad", BenchNetwork.Batched(1, Network.InputShape), _inputGradient);
                result["weight_grad"] = SafeTensor.FromFloats("weight_grad", weight.Shape, weight.Gradients);
            }

            return result;
        }

        /// <summary>Writes <see cref="Reference"/> as a safetensors file for bench_torch.py --check.</summary>
        public static void WriteCheckFile(string path, IReadOnlyDictionary<string, SafeTensor> reference)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            SafeTensorsFile.Write(path, reference.Values);
        }
    }
}
