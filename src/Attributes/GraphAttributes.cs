using System;

namespace ConvGen
{
    /// <summary>
    /// Starts a branch of a fork–join group. The first <c>[Branch]</c> of a group opens the group at the current value;
    /// each further <c>[Branch]</c> starts another branch from that same value. <see cref="AddAttribute"/> or
    /// <see cref="ConcatAttribute"/> closes the innermost open group and merges its branches. A branch with no layers is the identity.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
    public sealed class BranchAttribute : Attribute
    {
        /// <summary>
        /// Opens a new group inside the current branch (at the current value) instead of starting another branch of the
        /// open group: <c>[Branch(Nested = true)]</c> nests groups. Without an open group, <c>[Branch]</c> opens one either way.
        /// </summary>
        public bool Nested { get; set; }
    }

    /// <summary>
    /// Element-wise sum of inputs of one shape: the branches of the innermost open <see cref="BranchAttribute"/> group,
    /// or the layers named in the constructor (<c>[Add("conv3", "shortcut")]</c>).
    /// </summary>
    public sealed class AddAttribute : LayerAttribute
    {
        /// <summary>Merges the open group's branches, or the named layers when names are given.</summary>
        public AddAttribute(params string[] inputs) => Inputs = inputs;

        /// <summary>The layers summed, when named explicitly; empty to merge the open group.</summary>
        public string[] Inputs { get; }

        /// <summary>Applied to the sum (ResNet applies ReLU).</summary>
        public Activation Activation { get; set; }
    }

    /// <summary>
    /// Concatenation along channels (spatial inputs of equal height and width) or features (flat inputs): the branches of the
    /// innermost open <see cref="BranchAttribute"/> group, in declaration order, or the layers named in the constructor.
    /// </summary>
    public sealed class ConcatAttribute : LayerAttribute
    {
        /// <summary>Merges the open group's branches, or the named layers when names are given.</summary>
        public ConcatAttribute(params string[] inputs) => Inputs = inputs;

        /// <summary>The layers concatenated, when named explicitly; empty to merge the open group.</summary>
        public string[] Inputs { get; }
    }
}
