using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text;

namespace ConvGen.Generator.Emit.Code
{
    /// <summary>
    /// An integer expression of the emitted code (an index, a length, a loop bound), kept folded as it is built:
    /// constants combine, <c>x + 0</c>, <c>x * 1</c> and <c>x * 0</c> simplify, nested sums flatten, and it prints with
    /// only the parentheses C# needs (<c>(c * 5 + ky) * 980</c>). Integer arithmetic is exact, so folding never changes a value.
    /// </summary>
    internal abstract class Expr
    {
        public static readonly Expr Zero = new ConstantExpr(0);

        public static readonly Expr One = new ConstantExpr(1);

        /// <summary>A literal.</summary>
        public static Expr Constant(long value) => new ConstantExpr(value);

        /// <summary>An identifier (a local, a field, a constant): printed as is.</summary>
        public static Expr Name(string identifier) => new NameExpr(identifier);

        public static implicit operator Expr(int value) => Constant(value);

        /// <summary>The value when the expression is a literal.</summary>
        public long? Value => this is ConstantExpr constant ? constant.Number : null;

        public bool IsZero => Value == 0;

        public static Expr operator +(Expr a, Expr b) => SumExpr.Of(Signed(a, negate: false), Signed(b, negate: false));

        public static Expr operator -(Expr a, Expr b) => SumExpr.Of(Signed(a, negate: false), Signed(b, negate: true));

        public static Expr operator *(Expr a, Expr b) => ProductExpr.Of(a, b);

        public override string ToString()
        {
            var text = new StringBuilder();
            Write(text);
            return text.ToString();
        }

        /// <summary>Writes the expression as the operand of a multiplication (parenthesized when it is a sum).</summary>
        internal virtual void WriteFactor(StringBuilder text) => Write(text);

        internal abstract void Write(StringBuilder text);

        private static IEnumerable<(bool Negative, Expr Term)> Signed(Expr e, bool negate)
        {
            if (e is SumExpr sum)
            {
                foreach (var (negative, term) in sum.Terms)
                {
                    yield return (negative != negate, term);
                }
            }
            else
            {
                yield return (negate, e);
            }
        }

        private sealed class ConstantExpr : Expr
        {
            public ConstantExpr(long number) => Number = number;

            public long Number { get; }

            internal override void Write(StringBuilder text) => text.Append(Literals.Int(Number));

            internal override void WriteFactor(StringBuilder text)
            {
                if (Number < 0)
                {
                    text.Append('(').Append(Literals.Int(Number)).Append(')');
                }
                else
                {
                    Write(text);
                }
            }
        }

        private sealed class NameExpr : Expr
        {
            private readonly string _identifier;

            public NameExpr(string identifier) => _identifier = identifier;

            internal override void Write(StringBuilder text) => text.Append(_identifier);
        }

        /// <summary>Terms added or subtracted in order; the constants merged into one, where the first of them stood.</summary>
        private sealed class SumExpr : Expr
        {
            private SumExpr(ImmutableArray<(bool Negative, Expr Term)> terms) => Terms = terms;

            public ImmutableArray<(bool Negative, Expr Term)> Terms { get; }

            public static Expr Of(IEnumerable<(bool Negative, Expr Term)> left, IEnumerable<(bool Negative, Expr Term)> right)
            {
                var terms = new List<(bool Negative, Expr Term)>();
                var constantAt = -1;
                long constant = 0;
                foreach (var (negative, term) in Concat(left, right))
                {
                    if (term.Value is long value)
                    {
                        constant += negative ? -value : value;
                        if (constantAt < 0)
                        {
                            constantAt = terms.Count;
                            terms.Add((false, Zero));
                        }
                    }
                    else
                    {
                        terms.Add((negative, term));
                    }
                }

                if (constantAt >= 0)
                {
                    if (constant == 0)
                    {
                        terms.RemoveAt(constantAt);
                    }
                    else
                    {
                        terms[constantAt] = (false, Constant(constant));
                    }
                }

                return terms.Count switch
                {
                    0 => Zero,
                    1 when !terms[0].Negative => terms[0].Term,
                    _ => new SumExpr(terms.ToImmutableArray()),
                };
            }

            internal override void Write(StringBuilder text)
            {
                for (var i = 0; i < Terms.Length; i++)
                {
                    var (negative, term) = Terms[i];
                    if (term.Value is long value && value < 0)
                    {
                        (negative, term) = (!negative, Constant(-value));
                    }

                    if (i > 0)
                    {
                        text.Append(negative ? " - " : " + ");
                    }
                    else if (negative)
                    {
                        text.Append('-');
                    }

                    term.Write(text);
                }
            }

            internal override void WriteFactor(StringBuilder text)
            {
                text.Append('(');
                Write(text);
                text.Append(')');
            }

            private static IEnumerable<(bool, Expr)> Concat(IEnumerable<(bool, Expr)> a, IEnumerable<(bool, Expr)> b)
            {
                foreach (var x in a)
                {
                    yield return x;
                }

                foreach (var x in b)
                {
                    yield return x;
                }
            }
        }

        /// <summary>Factors multiplied in order; the constants merged into one, where the first of them stood.</summary>
        private sealed class ProductExpr : Expr
        {
            private readonly ImmutableArray<Expr> _factors;

            private ProductExpr(ImmutableArray<Expr> factors) => _factors = factors;

            public static Expr Of(Expr a, Expr b)
            {
                var factors = new List<Expr>();
                var constantAt = -1;
                long constant = 1;
                foreach (var factor in Factors(a, b))
                {
                    if (factor.Value is long value)
                    {
                        constant *= value;
                        if (constantAt < 0)
                        {
                            constantAt = factors.Count;
                            factors.Add(One);
                        }
                    }
                    else
                    {
                        factors.Add(factor);
                    }
                }

                if (constant == 0)
                {
                    return Zero;
                }

                if (constantAt >= 0)
                {
                    if (constant == 1)
                    {
                        factors.RemoveAt(constantAt);
                    }
                    else
                    {
                        factors[constantAt] = Constant(constant);
                    }
                }

                return factors.Count switch
                {
                    0 => One,
                    1 => factors[0],
                    _ => new ProductExpr(factors.ToImmutableArray()),
                };
            }

            internal override void Write(StringBuilder text)
            {
                for (var i = 0; i < _factors.Length; i++)
                {
                    if (i > 0)
                    {
                        text.Append(" * ");
                    }

                    _factors[i].WriteFactor(text);
                }
            }

            private static IEnumerable<Expr> Factors(Expr a, Expr b)
            {
                foreach (var e in new[] { a, b })
                {
                    if (e is ProductExpr product)
                    {
                        foreach (var factor in product._factors)
                        {
                            yield return factor;
                        }
                    }
                    else
                    {
                        yield return e;
                    }
                }
            }
        }
    }
}
