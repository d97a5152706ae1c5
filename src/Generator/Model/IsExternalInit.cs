namespace System.Runtime.CompilerServices
{
    /// <summary>Lets netstandard2.0 code declare records and init-only setters.</summary>
    internal static class IsExternalInit { }
}
