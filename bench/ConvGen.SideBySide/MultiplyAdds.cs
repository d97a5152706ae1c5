using System.Linq;

namespace ConvGen.SideBySide
{
    /// <summary>
    /// The multiply-adds of one sample's forward pass, counted the usual way: those of the convolutions (output elements ×
    /// input channels per group × kernel area) and dense layers (units × input features); BatchNorm, activations, pooling,
    /// additions and concatenations are not counted. ResNet-18 on 3×224×224: 1.82 G; GoogLeNet: 1.50 G.
    /// </summary>
    internal static class MultiplyAdds
    {
        public static double Forward(NetworkDescription network) => network.Layers.Sum(layer => layer switch
        {
            ConvDescription conv => (double)conv.OutputShape.Aggregate(1, (a, b) => a * b)
                * (network.ShapeOf(conv.Inputs[0])[0] / conv.Groups) * conv.KernelHeight * conv.KernelWidth,
            DenseDescription dense => (double)dense.Units * network.ShapeOf(dense.Inputs[0]).Aggregate(1, (a, b) => a * b),
            _ => 0.0,
        });
    }
}
