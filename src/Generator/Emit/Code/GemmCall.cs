using System;

namespace ConvGen.Generator.Emit.Code
{
    /// <summary>One matrix of a GEMM: how comments call it, the span holding it, and its leading dimension.</summary>
    internal sealed record Matrix(string Label, string Span, Expr Stride);

    /// <summary>
    /// A per-row epilogue of a GEMM call, C = f(op(A) · op(B) · scale + shift) by rows: the comment's right-hand side given
    /// the product's text, and the arguments (<c>rowScale: …, rowShift: …, activation: …</c>).
    /// </summary>
    internal sealed record GemmEpilogue(Func<string, string> Formula, string Arguments);

    /// <summary>
    /// A call of <c>ConvGen.Kernels.Gemm.Multiply</c>, C = op(A) · op(B) (or C += …), written as a shape comment and the call with
    /// named arguments: <c>// y[20×784] = W[20×25] · col[25×784]</c>, then <c>Gemm.Multiply(transA: false, transB: false, m: 20, …)</c>,
    /// ending with <c>threads: _gemmThreads</c> (the threads the network lends each GEMM when its batch runs on one worker).
    /// </summary>
    internal static class GemmCall
    {
        private const int MaxOperandLine = 120;

        /// <param name="m">Rows of C and of op(A).</param>
        /// <param name="n">Columns of C and of op(B).</param>
        /// <param name="k">Columns of op(A), rows of op(B).</param>
        /// <param name="transposeA">A is stored k×m: op(A) = Aᵀ.</param>
        /// <param name="transposeB">B is stored n×k: op(B) = Bᵀ.</param>
        /// <param name="accumulate">C += the product; false with an <paramref name="epilogue"/>.</param>
        /// <param name="epilogue">Applied to each row of the product as it is written (C is then written, not accumulated).</param>
        /// <param name="packedA">
        /// A field holding A packed ahead (a <c>ConvGen.Kernels.PackedMatrix</c> set from <paramref name="a"/>'s span), which
        /// the call then reads instead of the span: A not transposed, B not transposed, C written, not accumulated.
        /// </param>
        public static void Emit(SourceWriter w, Matrix c, Matrix a, bool transposeA, Matrix b, bool transposeB, Expr m, Expr n, Expr k, bool accumulate, GemmEpilogue? epilogue = null, string? packedA = null)
        {
            if (packedA is not null && (transposeA || transposeB || accumulate))
            {
                throw new ArgumentException("A product with A packed ahead multiplies plain A and B into a C it writes.", nameof(packedA));
            }

            var product = Shaped(a.Label + (transposeA ? "ᵀ" : string.Empty), m, k) + " · " + Shaped(b.Label + (transposeB ? "ᵀ" : string.Empty), k, n);
            w.Line("// " + Shaped(c.Label, m, n) + (accumulate ? " += " : " = ") + (epilogue is null ? product : epilogue.Formula(product)));
            var result = epilogue is null ? (packedA is null ? "accumulate: " + Bool(accumulate) : NoEpilogue) : epilogue.Arguments;
            string[] operands;
            if (packedA is null)
            {
                w.Line("global::ConvGen.Kernels.Gemm.Multiply(transA: " + Bool(transposeA) + ", transB: " + Bool(transposeB) + ", m: " + m + ", n: " + n + ", k: " + k + ",");
                operands = new[] { "a: " + a.Span + ", lda: " + a.Stride, "b: " + b.Span + ", ldb: " + b.Stride, "c: " + c.Span + ", ldc: " + c.Stride + ", " + result + ", threads: _gemmThreads);" };
            }
            else
            {
                // The packed matrix knows m and k.
                w.Line("global::ConvGen.Kernels.Gemm.Multiply(a: " + packedA + ", n: " + n + ",");
                operands = new[] { "b: " + b.Span + ", ldb: " + b.Stride, "c: " + c.Span + ", ldc: " + c.Stride + ", " + result + ", threads: _gemmThreads);" };
            }

            using (w.Indent())
            {
                // One line for the three matrices when it stays short, else one line each.
                var line = string.Join(", ", operands);
                if (line.Length <= MaxOperandLine)
                {
                    w.Line(line);
                }
                else
                {
                    for (var i = 0; i < operands.Length; i++)
                    {
                        w.Line(operands[i] + (i < operands.Length - 1 ? "," : string.Empty));
                    }
                }
            }
        }

        /// <summary>The epilogue arguments of a product that has none: no scale, no shift, no activation.</summary>
        private const string NoEpilogue = "rowScale: default, rowShift: default, activation: global::ConvGen.Activation.None";

        private static string Shaped(string label, Expr rows, Expr columns) => label + "[" + rows + "×" + columns + "]";

        private static string Bool(bool value) => value ? "true" : "false";
    }
}
