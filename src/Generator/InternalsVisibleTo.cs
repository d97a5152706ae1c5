using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("ConvGen.Generator.Tests")]
[assembly: InternalsVisibleTo("ConvGen.CodeFixes")]
