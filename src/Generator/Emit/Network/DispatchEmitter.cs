namespace ConvGen.Generator.Emit.Network
{
    /// <summary>
    /// How the runner reaches the network: a number per step method with the switch that runs it, and the private nested
    /// class implementing <c>INetworkSchedule</c> (private, so the schedule is no part of the network's public API).
    /// </summary>
    internal static class DispatchEmitter
    {
        public static void Emit(SourceWriter w, NetworkPlan plan, bool skipsSoftmax)
        {
            EmitSteps(w, new StepTable(plan));
            EmitSchedule(w, plan, skipsSoftmax);
        }

        private static void EmitSteps(SourceWriter w, StepTable steps)
        {
            w.Line("// Step numbers for the runner: each names one step method taking a worker index" + (steps.Splits.Count > 0 ? " (and a part of each sample, for those that split one)." : "."));
            for (var i = 0; i < steps.Methods.Count; i++)
            {
                w.Line("private const int " + steps.Methods[i] + "Step = " + Literals.Int(i) + ";");
            }

            w.Line();
            w.Line("/// <summary>What each step does, by step number: its call's comment (a LayerProfile shows it).</summary>");
            using (w.Block("private static readonly string[] StepDescriptions =", "};"))
            {
                foreach (var comment in steps.Comments)
                {
                    w.Line(Literals.String(comment) + ",");
                }
            }

            w.Line();
            using (w.Block("private void RunStep(int step, int worker, int part, int parts)"))
            using (w.Block("switch (step)"))
            {
                foreach (var method in steps.Methods)
                {
                    w.Line("case " + method + "Step: " + method + (steps.Splits.Contains(method) ? "(worker, part, parts)" : "(worker)") + "; break;");
                }
            }

            w.Line();
        }

        private static void EmitSchedule(SourceWriter w, NetworkPlan plan, bool skipsSoftmax)
        {
            var name = plan.Model.ClassName;
            w.Line("/// <summary>What the runner calls: this network's buffers and steps (private, so none of it is public API).</summary>");
            using (w.Block("private sealed class Schedule : " + TypeNames.Networks + ".INetworkSchedule"))
            {
                w.Lines("private readonly " + name + @" _network;

public Schedule(" + name + @" network) => _network = network;

public " + TypeNames.Span + @" Output => _network." + plan.Output.Field + @";

public " + TypeNames.Span + @" OutputGradient => _network." + plan.Gradients.Output.Field + @";

public void Grow(int batchSize) => _network.Grow(batchSize);

public void Forward(" + TypeNames.ReadOnlySpan + @" input, int batchSize, int workers, int gemmThreads, bool training) => _network.RunForward(input, batchSize, workers"
                    + (StorageEmitter.CallsGemm(plan) ? ", gemmThreads" : string.Empty) + (plan.HasTrainingBehaviour ? ", training" : string.Empty) + @");

public void Backward(bool fromLogits, bool needInputGradient) => _network.RunBackward(" + (skipsSoftmax ? "fromLogits, " : string.Empty) + @"needInputGradient);

public void CopyInputGradient(" + TypeNames.Span + @" inputGradient, int batchSize) => _network.CopyInputGradient(inputGradient, batchSize);

public void RunStep(int step, int worker, int part, int parts) => _network.RunStep(step, worker, part, parts);

public string Describe(int step) => StepDescriptions[step];");
            }
        }
    }
}
