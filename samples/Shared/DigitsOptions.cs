namespace ConvGen.Samples.Digits
{
    /// <summary>Settings of one <see cref="DigitsSample"/> run. The defaults are the LeNet-5 sample's tuned defaults.</summary>
    public sealed record DigitsOptions
    {
        /// <summary>Passes over the training set.</summary>
        public int Epochs { get; init; } = 12;

        /// <summary>Digits per training step.</summary>
        public int BatchSize { get; init; } = 64;

        /// <summary>The initial learning rate; a cosine schedule lowers it towards zero over the run. Null: 0.05 for SGD, 0.001 for Adam.</summary>
        public float? LearningRate { get; init; }

        /// <summary>The optimizer.</summary>
        public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;

        /// <summary>
        /// Moves each training digit by up to this many pixels in each direction, differently in every epoch (<see cref="Data.RandomShift"/>);
        /// 0 trains on the digits as they are.
        /// </summary>
        public int MaxShift { get; init; }

        /// <summary>Seeds the weight initialisation, the shuffle and the shifts; with the same thread count a run is bit-for-bit reproducible.</summary>
        public int Seed { get; init; } = 1;

        /// <summary>The folder holding the MNIST IDX files.</summary>
        public required string DataFolder { get; init; }

        /// <summary>Where the weights and the report are written.</summary>
        public required string OutputFolder { get; init; }

        /// <summary>Threads a batch is spread over; null for the processor count.</summary>
        public int? Threads { get; init; }

        /// <summary>Train on only the first this many training digits; null for all.</summary>
        public int? TrainSamples { get; init; }

        /// <summary>Evaluate on only the first this many test digits; null for all.</summary>
        public int? TestSamples { get; init; }

        /// <summary>The learning rate actually used: <see cref="LearningRate"/> or the optimizer's default.</summary>
        public float EffectiveLearningRate => LearningRate ?? (Optimizer == OptimizerKind.Sgd ? 0.05f : 0.001f);
    }
}
