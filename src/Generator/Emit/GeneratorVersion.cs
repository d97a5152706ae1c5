namespace ConvGen.Generator.Emit
{
    /// <summary>The generator's version (from Directory.Build.props), as generated code's <c>GeneratedCode</c> attribute states it.</summary>
    internal static class GeneratorVersion
    {
        public static readonly string Text = typeof(GeneratorVersion).Assembly.GetName().Version!.ToString(3);

        public static string Attribute => "[global::System.CodeDom.Compiler.GeneratedCode(\"ConvGen.Generator\", \"" + Text + "\")]";
    }
}
