using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generator.Diagnostics
{
    /// <summary>The compilation's syntax trees by file path, looked up when diagnostics kept as data are reported.</summary>
    internal sealed class SourceTrees
    {
        private readonly Compilation _compilation;
        private Dictionary<string, SyntaxTree>? _byPath;

        public SourceTrees(Compilation compilation) => _compilation = compilation;

        public SyntaxTree? Find(string path)
        {
            if (_byPath is null)
            {
                _byPath = new Dictionary<string, SyntaxTree>(System.StringComparer.Ordinal);
                foreach (var tree in _compilation.SyntaxTrees)
                {
                    _byPath[tree.FilePath] = tree;
                }
            }

            return _byPath.TryGetValue(path, out var found) ? found : null;
        }
    }
}
