using System;
using System.Collections.Generic;
using ConvGen.Networks;

namespace ConvGen.Runtime.Tests.Fakes
{
    /// <summary>
    /// A schedule of one forward step and one backward step that records what its <see cref="NetworkRunner"/> asks of it:
    /// each sample's output is its first input value plus its index in the output, and backward writes
    /// <c>(worker + 1) × (i + 1)</c> into element i of each worker's private gradient sums. With <see cref="Split"/> set,
    /// forward runs a second step that does nothing but can split samples into that many units of that much work.
    /// </summary>
    internal sealed class RecordingSchedule : INetworkSchedule
    {
        public const int ForwardStep = 0;
        public const int BackwardStep = 1;
        public const int SplitStep = 2;

        private readonly int _inputLength;
        private readonly int _outputLength;
        private float[] _input;
        private float[] _output;
        private float[] _outputGradient;
        private int _batch;

        public RecordingSchedule(int inputLength, int outputLength, WorkerScratch scratch)
        {
            _inputLength = inputLength;
            _outputLength = outputLength;
            Scratch = scratch;
            _input = new float[inputLength];
            _output = new float[outputLength];
            _outputGradient = new float[outputLength];
        }

        public NetworkRunner Runner { get; set; } = null!;

        public WorkerScratch Scratch { get; }

        public List<int> Grown { get; } = new();

        /// <summary>(step, worker) of every step run, in the order they finished.</summary>
        public List<(int Step, int Worker)> Runs { get; } = new();

        /// <summary>(worker, or sample for a part step, part, parts) of every run of <see cref="SplitStep"/>, in the order they finished.</summary>
        public List<(int Worker, int Part, int Parts)> SplitRuns { get; } = new();

        /// <summary>Units and work of <see cref="SplitStep"/>, which forward runs after its step when set.</summary>
        public (int Units, long Work)? Split { get; set; }

        public List<(bool Training, int Workers, int GemmThreads)> Forwards { get; } = new();

        public List<(bool FromLogits, bool NeedInputGradient)> Backwards { get; } = new();

        /// <summary>What backward saw as ∂L/∂output, per call.</summary>
        public List<float[]> OutputGradients { get; } = new();

        public Span<float> Output => _output;

        public Span<float> OutputGradient => _outputGradient;

        public void Grow(int batchSize)
        {
            Grown.Add(batchSize);
            _input = new float[batchSize * _inputLength];
            _output = new float[batchSize * _outputLength];
            _outputGradient = new float[batchSize * _outputLength];
        }

        public void Forward(ReadOnlySpan<float> input, int batchSize, int workers, int gemmThreads, bool training)
        {
            Forwards.Add((training, workers, gemmThreads));
            _batch = batchSize;
            input.CopyTo(_input);
            Runner.Run(ForwardStep);
            if (Split is var (units, work))
            {
                Runner.Run(SplitStep, units, work);
            }
        }

        public void Backward(bool fromLogits, bool needInputGradient)
        {
            Backwards.Add((fromLogits, needInputGradient));
            OutputGradients.Add(_outputGradient.AsSpan(0, _batch * _outputLength).ToArray());
            Runner.Run(BackwardStep);
        }

        public void CopyInputGradient(Span<float> inputGradient, int batchSize) => inputGradient.Fill(-1f);

        public string Describe(int step) => step switch
        {
            ForwardStep => "recorded: forward",
            BackwardStep => "recorded backward: private gradient sums",
            SplitStep => "recorded: split units",
            _ => throw new ArgumentOutOfRangeException(nameof(step), step, "The recording schedule has steps 0 to 2."),
        };

        public void RunStep(int step, int worker, int part, int parts)
        {
            if (step == SplitStep)
            {
                lock (SplitRuns)
                {
                    SplitRuns.Add((worker, part, parts));
                }

                return;
            }

            Assert.Equal((0, 1), (part, parts));
            lock (Runs)
            {
                Runs.Add((step, worker));
            }

            if (step == ForwardStep && worker == 0)
            {
                for (var n = 0; n < _batch; n++)
                {
                    for (var k = 0; k < _outputLength; k++)
                    {
                        _output[(n * _outputLength) + k] = _input[n * _inputLength] + k;
                    }
                }
            }

            if (step == BackwardStep)
            {
                var local = Scratch.LocalGradients(worker);
                for (var i = 0; i < local.Length; i++)
                {
                    local[i] = (worker + 1) * (i + 1);
                }
            }
        }
    }
}
