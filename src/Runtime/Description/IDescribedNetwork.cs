namespace ConvGen
{
    /// <summary>A network that knows its own structure (generated networks do: the generator writes it at build time).</summary>
    public interface IDescribedNetwork
    {
        /// <summary>The layers, their options and shapes, and how they connect.</summary>
        NetworkDescription Description { get; }
    }
}
