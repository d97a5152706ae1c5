using System;
using ConvGen.Generator.Model;

namespace ConvGen.Generator
{
    /// <summary>One network's generated source, or — should the emitter ever fail on a model — what went wrong.</summary>
    /// <param name="FullName">The network's namespace-qualified class name.</param>
    /// <param name="Source">The generated C#, or null when <paramref name="Failure"/> says why there is none.</param>
    /// <param name="Failure">The exception's type and message on one line, or null.</param>
    internal sealed record GeneratedNetwork(string FullName, string? Source, string? Failure)
    {
        /// <summary>Runs <paramref name="emit"/> on <paramref name="model"/>; an exception becomes <see cref="Failure"/>, so other networks still generate.</summary>
        public static GeneratedNetwork Create(NetworkModel model, Func<NetworkModel, string> emit)
        {
            try
            {
                return new GeneratedNetwork(model.FullName, emit(model), null);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                return new GeneratedNetwork(model.FullName, null, Describe(exception));
            }
        }

        /// <summary>"InvalidOperationException: message", with line breaks flattened so the diagnostic stays on one line.</summary>
        public static string Describe(Exception exception)
        {
            var text = exception.GetType().Name + ": " + exception.Message;
            var builder = new System.Text.StringBuilder(text.Length);
            foreach (var c in text)
            {
                builder.Append(char.IsControl(c) || c is '\u2028' or '\u2029' ? ' ' : c);
            }

            return builder.ToString();
        }
    }
}
