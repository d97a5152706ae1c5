using ConvGen.Generator.Emit.Code;

namespace ConvGen.Generator.Tests
{
    /// <summary>The emitters' integer expressions fold what is known and print with only the parentheses C# needs.</summary>
    public class ExprTests
    {
        private static readonly Expr C = Expr.Name("c");
        private static readonly Expr Ky = Expr.Name("ky");
        private static readonly Expr Oy = Expr.Name("oy");

        [Fact]
        public void ZeroTermsAndUnitFactorsVanish()
        {
            Assert.Equal("oy * 28", (Expr.Zero + Oy * 28).ToString());
            Assert.Equal("c", (C * 1 + 0).ToString());
            Assert.Equal("0", (C * 0).ToString());
            Assert.Equal("ky * 980", ((Expr.Zero * 5 + Ky) * 980).ToString());
        }

        [Fact]
        public void LiteralsFold_WhereTheFirstOfThemStood()
        {
            Assert.Equal("1222550 + c", ((Expr)(500 - 1) * 2450 + C).ToString());
            Assert.Equal("oy + ky - 2", (Oy * 1 + Ky * 1 - 2).ToString());
            Assert.Equal("oy * 2 + 3", (Oy * 2 + 1 + 2).ToString());
            Assert.Equal("oy", (Oy + 2 - 2).ToString());
            Assert.Equal(-2L, ((Expr)3 - 5).Value);
        }

        [Fact]
        public void SumsAreParenthesizedOnlyAsFactors()
        {
            Assert.Equal("(c * 5 + ky) * 980", ((C * 5 + Ky) * 980).ToString());
            Assert.Equal("(c * 9 + oy) * 9 + ky", (((C * 9) + Oy) * 9 + Ky).ToString());
            Assert.Equal("c - oy - ky", (C - (Oy + Ky)).ToString());
            Assert.Equal("c - oy + ky", (C - (Oy - Ky)).ToString());
            Assert.Equal("c * (-2)", (C * -2).ToString());
        }
    }
}
