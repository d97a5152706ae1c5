using System.Collections.Generic;
using System.Linq;
using ConvGen.Generator.Emit.Layers;
using ConvGen.Generator.Model;

namespace ConvGen.Generator.Emit.Network
{
    /// <summary>
    /// The network's storage: flat parameters and buffers with their PyTorch-named views, the activation and gradient
    /// buffers, each worker's scratch, what the steps read of the pass under way, and the constructor that fills the
    /// parameters and hands the rest to the runtime's <c>NetworkRunner</c>.
    /// </summary>
    internal static class StorageEmitter
    {
        public static void EmitFields(SourceWriter w, NetworkPlan plan)
        {
            w.Line("private readonly float[] _parameters = new float[ParameterCount];");
            w.Line("private readonly float[] _gradients = new float[ParameterCount];");
            w.Line("private readonly float[] _buffers = new float[BufferLength];");
            w.Line("private readonly global::ConvGen.ParameterList _parameterList;");
            w.Line("private readonly global::ConvGen.ParameterList _bufferList;");
            w.Line("private readonly " + TypeNames.Networks + ".NetworkRunner _runner; // argument checks, one caller at a time, threads, the loss and optimizer step");
            w.Line("private readonly " + TypeNames.Networks + ".ParameterWrites _writes = new(); // the parameters' version, which tells packed kernels when to repack");
            if (plan.HasDropout)
            {
                w.Line("private readonly int _seed; // Dropout masks are drawn from it");
            }

            w.Line();
            w.Line("// Activations, one sample after another; sized for one sample until a larger batch comes (Grow).");
            w.Line("private float[] _input = new float[InputLength];");
            foreach (var buffer in plan.ActivationFields)
            {
                w.Line("private float[] " + buffer.Field + " = new float[" + Literals.Int(buffer.Length) + "]; // " + buffer.Comment);
            }

            foreach (var lp in plan.Layers.Where(l => l.Layer is BatchNorm2DLayer))
            {
                w.Line("private readonly float[] " + lp.Field("Mean") + " = new float[" + Literals.Int(lp.Shape.In.Channels) + "]; // " + lp.Layer.Name + ": this batch's mean per channel");
                w.Line("private readonly float[] " + lp.Field("InverseStd") + " = new float[" + Literals.Int(lp.Shape.In.Channels) + "]; // " + lp.Layer.Name + ": 1/√(var + eps) per channel");
            }

            w.Line();
            w.Line("// Gradients of the values, per sample; values whose gradients are never needed at the same time share a buffer.");
            foreach (var buffer in plan.Gradients.Buffers)
            {
                w.Line("private float[] " + buffer.Field + " = new float[" + Literals.Int(buffer.Length) + "]; // " + buffer.Comment);
            }

            w.Line();
            EmitScratch(w, plan);
            w.Line();
            w.Line("// The pass under way, as the steps read it (RunForward and RunBackward set it).");
            w.Line("private int _batch;");
            w.Line("private int _workers;");
            if (CallsGemm(plan))
            {
                w.Line("private int _gemmThreads; // threads each GEMM may use: all of them when the whole batch runs on one worker");
            }

            w.Line("private bool _needInputGradient;");
            if (FoldsBatchNorm(plan))
            {
                w.Line("private bool _training; // a conv with a BatchNorm folded in applies it only in inference");
            }

            if (plan.HasDropout)
            {
                w.Line("private ulong _pass; // training forward passes so far: each draws new Dropout masks");
            }

            w.Line();
        }

        public static void EmitConstructor(SourceWriter w, NetworkPlan plan)
        {
            w.Line("/// <summary>Creates the network with PyTorch's default initialization, drawn deterministically from <paramref name=\"seed\"/>.</summary>");
            using (w.Block("public " + plan.Model.ClassName + "(int seed = 0)"))
            {
                if (plan.HasDropout)
                {
                    w.Line("_seed = seed;");
                }

                var stream = 0;
                foreach (var tensor in plan.Parameters.Concat(plan.Buffers))
                {
                    var storage = plan.Parameters.Contains(tensor) ? "_parameters" : "_buffers";
                    var span = storage + ".AsSpan(" + tensor.Constant + ", " + Literals.Int(tensor.Length) + ")";
                    switch (tensor.Init)
                    {
                        case TensorInit.FanInUniform:
                            w.Line("global::ConvGen.ParameterInitializer.FanInUniform(" + span + ", fanIn: " + Literals.Int(tensor.FanIn) + ", seed, stream: " + Literals.Int(stream) + "); // " + tensor.Name);
                            break;
                        case TensorInit.Ones:
                            w.Line(span + ".Fill(1f); // " + tensor.Name);
                            break;
                        case TensorInit.Zeros:
                            w.Line("// " + tensor.Name + " starts at zero");
                            break;
                    }

                    stream++;
                }

                EmitTensorList(w, "_parameterList", plan.Parameters, "_parameters", "_gradients", ", _writes");
                EmitTensorList(w, "_bufferList", plan.Buffers, "_buffers", "null", string.Empty);
                w.Line("_runner = new " + TypeNames.Networks + ".NetworkRunner(");
                using (w.Indent())
                {
                    w.Line("new Schedule(this), " + Literals.String(plan.Model.ClassName) + ", InputLength, OutputLength, _parameters, _gradients, _scratch, _writes,");
                    w.Line("endsWithSoftmax: " + Bool(plan.EndsWithSoftmax) + ", backwardNeedsTraining: " + Bool(plan.HasTrainingBehaviour) + ");");
                }

            }

            w.Line();
        }

        /// <summary>Conv and dense layers multiply through <c>Gemm</c>, which may split one product over <c>_gemmThreads</c>.</summary>
        public static bool CallsGemm(NetworkPlan plan) => plan.Layers.Exists(l => l.Layer is Conv2DLayer or DenseLayer);

        /// <summary>True when a conv applies a following BatchNorm itself in inference, and so reads the pass's mode.</summary>
        public static bool FoldsBatchNorm(NetworkPlan plan) => plan.Layers.Exists(l => l.FoldedBatchNorm is not null);

        private static void EmitScratch(SourceWriter w, NetworkPlan plan)
        {
            var convs = plan.Layers.Where(l => l.LocalGradientOffset >= 0).ToList();
            w.Line("// Per worker: im2col scratch, a conv's folded scale and shift, and private conv-gradient sums (added in worker order, so results do not depend on timing).");
            var head = "private readonly " + TypeNames.Networks + ".WorkerScratch _scratch = new(columnLength: " + Literals.Int(plan.ColumnLength)
                + ", factorLength: " + Literals.Int(ConvKernelForward.FactorLength(plan));
            if (convs.Count == 0)
            {
                w.Line(head + ");");
                return;
            }

            w.Line(head + ",");
            ArgumentLines(w, convs.Select(lp =>
                ("new " + TypeNames.Networks + ".LocalGradientRange(" + lp.Member("LocalGradients") + ", " + lp.Weight!.Constant + ", " + Literals.Int(lp.Weight.Length + (lp.Bias?.Length ?? 0)) + ")",
                 " // " + lp.Layer.Name + ".weight" + (lp.Bias is null ? string.Empty : ", .bias"))));
        }

        /// <summary>The PyTorch-named views of the flat storage, one per line.</summary>
        private static void EmitTensorList(SourceWriter w, string field, List<TensorPlan> tensors, string values, string gradients, string writes)
        {
            if (tensors.Count == 0)
            {
                w.Line(field + " = new global::ConvGen.ParameterList();");
                return;
            }

            w.Line(field + " = new global::ConvGen.ParameterList(");
            ArgumentLines(w, tensors.Select(t =>
                ("new global::ConvGen.Parameter(" + Literals.String(t.Name) + ", new[] { " + string.Join(", ", t.Shape.Select(d => Literals.Int(d))) + " }, " + values + ", " + gradients + ", " + t.Constant + writes + ")",
                 string.Empty)));
        }

        /// <summary>The rest of a call's arguments, one per line, indented: commas between them, the closing <c>);</c> after the last, each line's comment at its end.</summary>
        private static void ArgumentLines(SourceWriter w, IEnumerable<(string Argument, string Comment)> arguments)
        {
            var list = arguments.ToList();
            using (w.Indent())
            {
                for (var i = 0; i < list.Count; i++)
                {
                    w.Line(list[i].Argument + (i == list.Count - 1 ? ");" : ",") + list[i].Comment);
                }
            }
        }

        private static string Bool(bool value) => value ? "true" : "false";
    }
}
