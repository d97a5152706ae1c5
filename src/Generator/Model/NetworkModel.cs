namespace ConvGen.Generator.Model
{
    /// <summary>A declared network: the partial class and its layers in order. Holds only values, so the pipeline caches it.</summary>
    /// <param name="Namespace">The class's namespace, or null for the global namespace.</param>
    /// <param name="ClassName">The class's name.</param>
    /// <param name="Accessibility">"public" or "internal", as declared.</param>
    /// <param name="ExpectedParameters">The declared parameter total, or 0 when not declared.</param>
    internal sealed record NetworkModel(
        string? Namespace,
        string ClassName,
        string Accessibility,
        Shape Input,
        int ExpectedParameters,
        EquatableArray<LayerModel> Layers)
    {
        public string FullName => Namespace is null ? ClassName : Namespace + "." + ClassName;

        /// <summary>Whether every layer reads only the one declared before it (the first, the network input): no branches, merges or <c>From</c>.</summary>
        public bool IsChain
        {
            get
            {
                var previous = LayerModel.NetworkInput;
                foreach (var layer in Layers)
                {
                    if (layer.Inputs.Count != 1 || layer.Input != previous)
                    {
                        return false;
                    }

                    previous = layer.Name;
                }

                return true;
            }
        }
    }
}
