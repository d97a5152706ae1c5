namespace ConvGen.Generator.Model
{
    /// <summary>
    /// The public surface of a network that has build errors: what user code may refer to (constants, constructor,
    /// the <c>INetwork</c> members), generated with bodies that throw, so the only errors the user sees are the real ones.
    /// </summary>
    /// <param name="Namespace">The class's namespace, or null for the global namespace.</param>
    /// <param name="ClassName">The class's name.</param>
    /// <param name="Accessibility">"public" or "internal", as declared.</param>
    /// <param name="Input">The declared input shape.</param>
    /// <param name="OutputLength">Floats per output sample, or 1 when inference did not get that far.</param>
    /// <param name="ParameterCount">Trainable parameters, or 1 when inference did not get that far.</param>
    /// <param name="Error">The build error, as the compiler prints it ("CG0009: Layer 'dense1' …").</param>
    /// <param name="Members">The members of <c>ConvGen.INetwork</c> to implement; empty when the runtime is not referenced.</param>
    internal sealed record NetworkSurface(
        string? Namespace,
        string ClassName,
        string Accessibility,
        Shape Input,
        int OutputLength,
        int ParameterCount,
        string Error,
        EquatableArray<SurfaceMember> Members)
    {
        public string FullName => Namespace is null ? ClassName : Namespace + "." + ClassName;
    }

    /// <summary>One interface member to stand in for: a method (with <see cref="Parameters"/>) or a property.</summary>
    /// <param name="Type">The return or property type, fully qualified (<c>global::System.Span&lt;float&gt;</c>).</param>
    /// <param name="Name">The member's name.</param>
    /// <param name="Parameters">The parameter list without parentheses, for methods; null for properties.</param>
    /// <param name="HasGetter">A property with a getter.</param>
    /// <param name="HasSetter">A property with a setter.</param>
    /// <param name="ExplicitInterface">The interface to implement it explicitly for (when its name is taken by a constant), else null.</param>
    internal sealed record SurfaceMember(string Type, string Name, string? Parameters, bool HasGetter, bool HasSetter, string? ExplicitInterface);
}
