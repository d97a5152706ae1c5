using ConvGen.Generator.Model;

namespace ConvGen.Generator.Analysis
{
    /// <summary>The result of shape inference: one <see cref="LayerShape"/> per layer (as far as inference got) and the problems found.</summary>
    internal sealed record NetworkAnalysis(EquatableArray<LayerShape> Layers, long TotalParameters, long TotalMultiplyAdds, EquatableArray<Problem> Problems)
    {
        public bool HasErrors
        {
            get
            {
                foreach (var problem in Problems)
                {
                    if (!Diagnostics.DiagnosticCatalog.IsWarning(problem.DescriptorId))
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        public Shape Output => Layers[Layers.Count - 1].Out;
    }
}
