using System;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using ConvGen.Threading;

namespace ConvGen.Networks
{
    /// <summary>
    /// The half of every generated network that does not depend on its layers: argument checks, one caller at a time,
    /// training mode and thread count, how a batch is spread over workers and the dispatch of each step to them, the
    /// reduction of the workers' private gradients, and the loss and optimizer step of <see cref="INetwork.TrainStep(ReadOnlySpan{float}, ReadOnlySpan{int}, int, Optimizer)"/>.
    /// A generated network owns one and forwards its <see cref="INetwork"/> calls to it; the runner calls back into the
    /// network's <see cref="INetworkSchedule"/> once per pass and once per step and worker, never per element.
    /// </summary>
    public sealed class NetworkRunner
    {
        /// <summary>The step number <see cref="Run(int)"/> takes for the reduction of the workers' private gradients (the schedule numbers its own steps from 0).</summary>
        private const int ReduceGradientsStep = -1;

        private readonly INetworkSchedule _schedule;
        private readonly int _inputLength;
        private readonly int _outputLength;
        private readonly float[] _parameters;
        private readonly ParameterWrites _writes;
        private readonly float[] _gradients;
        private readonly WorkerScratch _scratch;
        private readonly bool _endsWithSoftmax;
        private readonly bool _backwardNeedsTraining;
        private readonly CallGuard _guard;
        private readonly Action<int> _runStep;
        private readonly Action<int> _runPart;
        private readonly Action<int> _runSamplePart;

        private int _capacity = 1; // samples the schedule's buffers hold: they start with one
        private int _workers = 1;
        private int _gemmThreads = 1;
        private int _step;
        private int _parts = 1; // the parts each sample of the step under way splits into (one worker only)
        private int _partStep; // what RunParts runs: a part step, its sample, and the parts
        private int _partSample;
        private int _sampleParts;
        private int _threads = Environment.ProcessorCount;
        private bool _training;
        private int _forwardBatch;
        private bool _forwardTraining;
        private long _trainSteps;
        private LayerProfile? _profile;

        /// <summary>The runner of one network instance.</summary>
        /// <param name="schedule">The network's buffers and steps.</param>
        /// <param name="network">The network's class name, for the message when two threads call one instance.</param>
        /// <param name="inputLength">Floats in one input sample.</param>
        /// <param name="outputLength">Floats in one output sample.</param>
        /// <param name="parameters">The flat parameter storage the optimizer steps.</param>
        /// <param name="gradients">The flat parameter gradients, aligned with <paramref name="parameters"/>.</param>
        /// <param name="scratch">Each worker's scratch and private gradient sums.</param>
        /// <param name="writes">The network's record of parameter writes, which the optimizer step advances.</param>
        /// <param name="endsWithSoftmax">The output is a softmax's probabilities: classification takes the loss from them and starts backward below the softmax.</param>
        /// <param name="backwardNeedsTraining">The network has layers (BatchNorm2D, Dropout) whose backward needs a forward in training mode.</param>
        public NetworkRunner(
            INetworkSchedule schedule, string network, int inputLength, int outputLength, float[] parameters, float[] gradients, WorkerScratch scratch,
            ParameterWrites writes, bool endsWithSoftmax, bool backwardNeedsTraining)
        {
            ArgumentNullException.ThrowIfNull(schedule);
            ArgumentNullException.ThrowIfNull(parameters);
            ArgumentNullException.ThrowIfNull(gradients);
            ArgumentNullException.ThrowIfNull(scratch);
            ArgumentNullException.ThrowIfNull(writes);
            ArgumentOutOfRangeException.ThrowIfLessThan(inputLength, 1);
            ArgumentOutOfRangeException.ThrowIfLessThan(outputLength, 1);
            if (gradients.Length != parameters.Length)
            {
                throw new ArgumentException($"The gradients hold {gradients.Length} floats and the parameters {parameters.Length}; they must align.", nameof(gradients));
            }

            _schedule = schedule;
            _guard = new CallGuard(network);
            _inputLength = inputLength;
            _outputLength = outputLength;
            _parameters = parameters;
            _gradients = gradients;
            _writes = writes;
            _scratch = scratch;
            _endsWithSoftmax = endsWithSoftmax;
            _backwardNeedsTraining = backwardNeedsTraining;
            _runStep = RunStep;
            _runPart = RunPart;
            _runSamplePart = RunSamplePart;
        }

        /// <inheritdoc cref="INetwork.Training"/>
        public bool Training
        {
            get => _training;
            set => _training = value;
        }

        /// <inheritdoc cref="INetwork.Threads"/>
        public int Threads
        {
            get => _threads;
            set => _threads = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Threads must be at least 1.");
        }

        /// <summary>
        /// The profile that times each step of this network's calls, or null (the default) for none; see
        /// <see cref="LayerProfile"/>. A profile records one network: attaching one that already recorded another throws.
        /// </summary>
        /// <exception cref="ArgumentException">The profile belongs to another network.</exception>
        public LayerProfile? Profile
        {
            get => _profile;
            set
            {
                value?.Attach(this, _guard.Network);
                _profile = value;
            }
        }

        /// <inheritdoc cref="INetwork.Forward(ReadOnlySpan{float}, Span{float}, int)"/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Forward(ReadOnlySpan<float> input, Span<float> output, int batchSize)
        {
            CheckBatch(batchSize);
            CheckLength(input.Length, batchSize, _inputLength, nameof(input));
            CheckLength(output.Length, batchSize, _outputLength, nameof(output));
            _guard.Enter(nameof(Forward));
            try
            {
                using var spinning = WorkerPool.KeepWorkersSpinning(_threads);
                RunForward(input, batchSize);
                _schedule.Output.Slice(0, batchSize * _outputLength).CopyTo(output);
            }
            finally
            {
                _guard.Exit();
            }
        }

        /// <inheritdoc cref="INetwork.Backward(ReadOnlySpan{float}, int)"/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Backward(ReadOnlySpan<float> outputGradient, int batchSize) => Backward(outputGradient, default, batchSize, wantInputGradient: false);

        /// <inheritdoc cref="INetwork.Backward(ReadOnlySpan{float}, Span{float}, int)"/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Backward(ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batchSize)
        {
            CheckBatch(batchSize);
            CheckLength(inputGradient.Length, batchSize, _inputLength, nameof(inputGradient));
            Backward(outputGradient, inputGradient, batchSize, wantInputGradient: true);
        }

        /// <inheritdoc cref="INetwork.ZeroGradients"/>
        public void ZeroGradients() => Array.Clear(_gradients);

        /// <inheritdoc cref="INetwork.TrainStep(ReadOnlySpan{float}, ReadOnlySpan{int}, int, Optimizer)"/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, int batchSize, Optimizer optimizer)
        {
            CheckBatch(batchSize);
            CheckLength(labels.Length, batchSize, 1, nameof(labels));
            return TrainStep(inputs, labels, default, batchSize, optimizer);
        }

        /// <inheritdoc cref="INetwork.TrainStep(ReadOnlySpan{float}, ReadOnlySpan{float}, int, Optimizer)"/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int batchSize, Optimizer optimizer)
        {
            CheckBatch(batchSize);
            CheckLength(targets.Length, batchSize, _outputLength, nameof(targets));
            return TrainStep(inputs, default, targets, batchSize, optimizer);
        }

        /// <summary>
        /// Runs step <paramref name="step"/> of the schedule on every worker of the pass under way: on this thread alone for
        /// one worker, else over the shared <see cref="WorkerPool"/>. The schedule calls it once per step, in order.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int step)
        {
            if (_profile is null)
            {
                RunOnWorkers(step);
                return;
            }

            var start = Stopwatch.GetTimestamp();
            RunOnWorkers(step);
            Record(step, start);
        }

        /// <summary>
        /// Runs step <paramref name="step"/>, whose method can split each sample's <paramref name="units"/> independent units
        /// (channels, blocks of floats): over the workers as <see cref="Run(int)"/> does, except that a batch running on one
        /// worker lends the step all the threads, in parts of the units, when <paramref name="work"/> (multiply-adds per
        /// sample, or their equivalent) is worth the fork and join (<see cref="Partition.Parts"/>, the GEMMs' rule).
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="units"/> is below 1 or <paramref name="work"/> is negative.</exception>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int step, int units, long work)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(units, 1);
            ArgumentOutOfRangeException.ThrowIfNegative(work);
            if (_profile is null)
            {
                RunInParts(step, units, work);
                return;
            }

            var start = Stopwatch.GetTimestamp();
            RunInParts(step, units, work);
            Record(step, start);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void RunOnWorkers(int step)
        {
            _step = step;
            if (_workers == 1)
            {
                RunStep(0);
                return;
            }

            WorkerPool.For(_workers, _workers, _runStep);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void RunInParts(int step, int units, long work)
        {
            var parts = _workers == 1 ? Partition.Parts(_gemmThreads, units, work) : 1;
            if (parts == 1)
            {
                RunOnWorkers(step);
                return;
            }

            _step = step;
            _parts = parts;
            WorkerPool.For(parts, parts, _runPart);
        }

        /// <summary>Adds the run of <paramref name="step"/> that started at <paramref name="start"/> to the profile.</summary>
        private void Record(int step, long start)
        {
            var ticks = Stopwatch.GetTimestamp() - start;
            var name = step == ReduceGradientsStep ? "reduce gradients: the workers' private parameter gradients added into the network's" : _schedule.Describe(step);
            _profile!.Add(step - ReduceGradientsStep, name, ticks);
        }

        /// <summary>
        /// From inside a step, runs part step <paramref name="step"/> on sample <paramref name="sample"/>: a piece of that
        /// step's work on one sample (a conv's im2col rows, its epilogue's channels) in <paramref name="units"/> independent
        /// units. When the whole batch runs on one worker and <paramref name="work"/> is worth it (<see cref="Partition.Parts"/>)
        /// the units split over the threads, else the piece runs whole on this thread. The schedule gets
        /// <c>RunStep(step, sample, part, parts)</c>: for a part step the second argument is the sample, not a worker.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="units"/> is below 1 or <paramref name="work"/> is negative.</exception>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void RunParts(int step, int sample, int units, long work)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(units, 1);
            ArgumentOutOfRangeException.ThrowIfNegative(work);
            var parts = _workers == 1 ? Partition.Parts(_gemmThreads, units, work) : 1;
            if (parts == 1)
            {
                _schedule.RunStep(step, sample, 0, 1);
                return;
            }

            _partStep = step;
            _partSample = sample;
            _sampleParts = parts;
            WorkerPool.For(parts, parts, _runSamplePart);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void RunStep(int worker)
        {
            if (_step == ReduceGradientsStep)
            {
                _scratch.Reduce(_gradients, worker, _workers);
                return;
            }

            _schedule.RunStep(_step, worker, 0, 1);
        }

        /// <summary>Part <paramref name="part"/> of the one worker's samples of the step under way.</summary>
        private void RunPart(int part) => _schedule.RunStep(_step, 0, part, _parts);

        /// <summary>Part <paramref name="part"/> of the part step <see cref="RunParts"/> is running.</summary>
        private void RunSamplePart(int part) => _schedule.RunStep(_partStep, _partSample, part, _sampleParts);

        /// <summary>
        /// How a batch of <paramref name="batchSize"/> samples is spread over <see cref="Threads"/>, the one place that decides
        /// it: each worker takes whole samples (and its share of a Dense layer's units), so there are never more workers than
        /// samples; a batch that runs on one worker lends all the threads to each GEMM instead (<c>Gemm.Multiply</c>'s
        /// <c>threads</c>), while several workers keep their GEMMs on their own thread.
        /// </summary>
        private void SplitWork(int batchSize)
        {
            _workers = Math.Min(_threads, batchSize);
            _gemmThreads = _workers == 1 ? _threads : 1;
            _scratch.Ensure(_workers);
        }

        /// <summary>Sizes the buffers and workers for the batch and runs every layer forward, in training or inference form.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void RunForward(ReadOnlySpan<float> input, int batchSize)
        {
            if (batchSize > _capacity)
            {
                _schedule.Grow(batchSize);
                _capacity = batchSize;
            }

            SplitWork(batchSize);
            _writes.StartPass();
            _schedule.Forward(input, batchSize, _workers, _gemmThreads, _training);
            _forwardBatch = batchSize;
            _forwardTraining = _training;
        }

        /// <summary>Runs every layer's backward steps, then adds the workers' private gradient sums into the parameter gradients.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void RunBackward(bool fromLogits, bool needInputGradient)
        {
            _schedule.Backward(fromLogits, needInputGradient);
            if (_scratch.HasLocalGradients)
            {
                Run(ReduceGradientsStep);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Backward(ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batchSize, bool wantInputGradient)
        {
            CheckBatch(batchSize);
            CheckLength(outputGradient.Length, batchSize, _outputLength, nameof(outputGradient));
            if (_forwardBatch != batchSize)
            {
                throw new InvalidOperationException($"Backward of a batch of {batchSize} needs a Forward of the same batch first (the last Forward had {_forwardBatch}).");
            }

            if (_backwardNeedsTraining && !_forwardTraining)
            {
                throw new InvalidOperationException("This network has BatchNorm2D or Dropout layers: Backward needs the preceding Forward to run with Training = true.");
            }

            _guard.Enter(nameof(Backward));
            try
            {
                using var spinning = WorkerPool.KeepWorkersSpinning(_threads);
                outputGradient.CopyTo(_schedule.OutputGradient);
                RunBackward(fromLogits: false, wantInputGradient);
                if (wantInputGradient)
                {
                    _schedule.CopyInputGradient(inputGradient, batchSize);
                }
            }
            finally
            {
                _guard.Exit();
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, ReadOnlySpan<float> targets, int batchSize, Optimizer optimizer)
        {
            ArgumentNullException.ThrowIfNull(optimizer);
            CheckLength(inputs.Length, batchSize, _inputLength, nameof(inputs));
            // Bad labels, targets or inputs are refused before any work, so parameters, running statistics and optimizer state stay as they were.
            TrainingInput.RequireFiniteInputs(inputs, _inputLength);
            var classify = targets.IsEmpty;
            if (classify)
            {
                TrainingInput.RequireLabels(labels, _outputLength);
            }
            else
            {
                TrainingInput.RequireFiniteTargets(targets, _outputLength);
            }

            _guard.Enter(nameof(TrainStep));
            var wasTraining = _training;
            _training = true;
            try
            {
                using var spinning = WorkerPool.KeepWorkersSpinning(_threads);
                RunForward(inputs, batchSize);
                var output = _schedule.Output.Slice(0, batchSize * _outputLength);
                var gradient = _schedule.OutputGradient.Slice(0, batchSize * _outputLength);
                // A network ending in a softmax hands the loss probabilities, and gets back ∂L/∂logits: backward starts below the
                // softmax. Otherwise the output is taken as logits, as PyTorch's CrossEntropyLoss does.
                var loss = !classify ? Losses.MeanSquaredError(output, targets, gradient)
                    : _endsWithSoftmax ? Losses.CrossEntropyFromProbabilities(output, labels, batchSize, _outputLength, gradient)
                    : Losses.SoftmaxCrossEntropy(output, labels, batchSize, _outputLength, gradient);
                TrainingDivergedException.ThrowIfNotFinite(loss, _trainSteps);
                ZeroGradients();
                RunBackward(fromLogits: classify && _endsWithSoftmax, needInputGradient: false);
                optimizer.Step(_parameters, _gradients);
                _writes.Changed();
                _trainSteps++;
                return loss;
            }
            finally
            {
                _training = wasTraining;
                _guard.Exit();
            }
        }

        // The checks are small enough to inline into the fully optimized entry points; their throws live apart.
        private static void CheckBatch(int batchSize)
        {
            if (batchSize < 1)
            {
                ThrowBatchSize(batchSize);
            }
        }

        private static void CheckLength(int actual, int batchSize, int perSample, string name)
        {
            if ((long)batchSize * perSample != actual)
            {
                ThrowLength(actual, batchSize, perSample, name);
            }
        }

        [DoesNotReturn]
        private static void ThrowBatchSize(int batchSize) =>
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be at least 1.");

        [DoesNotReturn]
        private static void ThrowLength(int actual, int batchSize, int perSample, string name) =>
            throw new ArgumentException($"Expected {batchSize} × {perSample} = {(long)batchSize * perSample} values, got {actual}.", name);
    }
}
