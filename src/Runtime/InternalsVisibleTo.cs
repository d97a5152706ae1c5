using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("ConvGen.Runtime.Tests")]
