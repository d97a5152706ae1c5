using System.Linq;
using System.Threading.Tasks;
using ConvGen.CodeFixes;
using Microsoft.CodeAnalysis.CodeFixes;

namespace ConvGen.Generator.Tests
{
    /// <summary>
    /// Each code fix on the generator's own diagnostic: the exact text it leaves, and that the generator is then content
    /// (the diagnostic it fixed is gone and nothing new is reported).
    /// </summary>
    public class CodeFixTests
    {
        [Fact]
        public Task Flatten_is_inserted_on_its_own_line_before_the_dense_layer() => Check(
            new InsertFlattenFix(), "CG0009",
            """
            using ConvGen;
            [Input(1, 28, 28)]
            [Conv2D(4, 5)]
            [MaxPool2D(2)]
            [Dense(10)]
            public partial class Net { }
            """,
            """
            using ConvGen;
            [Input(1, 28, 28)]
            [Conv2D(4, 5)]
            [MaxPool2D(2)]
            [Flatten]
            [Dense(10)]
            public partial class Net { }
            """,
            "Insert [Flatten] before this Dense layer");

        [Fact]
        public Task Flatten_joins_a_shared_attribute_list_and_keeps_the_qualifier() => Check(
            new InsertFlattenFix(), "CG0009",
            "[ConvGen.Input(1, 8, 8)]\n[ConvGen.Conv2D(2, 3), ConvGen.Dense(10)]\npublic partial class Net { }\n",
            "[ConvGen.Input(1, 8, 8)]\n[ConvGen.Conv2D(2, 3), ConvGen.Flatten, ConvGen.Dense(10)]\npublic partial class Net { }\n",
            "Insert [Flatten] before this Dense layer");

        [Fact]
        public Task Partial_goes_after_the_other_modifiers() => Check(
            new MakePartialFix(), "CG0001",
            "using ConvGen;\n[Input(1, 8, 8)]\n[Flatten]\npublic sealed class Net { }\n",
            "using ConvGen;\n[Input(1, 8, 8)]\n[Flatten]\npublic sealed partial class Net { }\n",
            "Make 'Net' partial");

        [Fact]
        public Task Partial_takes_the_place_of_missing_modifiers() => Check(
            new MakePartialFix(), "CG0001",
            "using ConvGen;\nnamespace N\n{\n    [Input(1, 8, 8)]\n    [Flatten]\n    class Net { }\n}\n",
            "using ConvGen;\nnamespace N\n{\n    [Input(1, 8, 8)]\n    [Flatten]\n    partial class Net { }\n}\n",
            "Make 'Net' partial");

        [Fact]
        public Task Expect_is_set_to_the_inferred_shape() => Check(
            new SetArgumentFix(), "CG0012",
            "using ConvGen;\n[Input(1, 28, 28)]\n[Conv2D(6, 5, Expect = \"6x28x28\")]\npublic partial class Net { }\n",
            "using ConvGen;\n[Input(1, 28, 28)]\n[Conv2D(6, 5, Expect = \"6×24×24\")]\npublic partial class Net { }\n",
            "Set Expect to \"6×24×24\", the inferred shape");

        [Fact]
        public Task ExpectedParameters_is_set_to_the_inferred_count() => Check(
            new SetArgumentFix(), "CG0013",
            "using ConvGen;\n[Input(1, 8, 8, ExpectedParameters = 1_000)]\n[Flatten]\n[Dense(10)]\npublic partial class Net { }\n",
            "using ConvGen;\n[Input(1, 8, 8, ExpectedParameters = 650)]\n[Flatten]\n[Dense(10)]\npublic partial class Net { }\n",
            "Set ExpectedParameters to 650, the inferred count");

        [Fact]
        public Task A_kernel_larger_than_its_input_shrinks_to_the_largest_that_fits() => Check(
            new SetArgumentFix(), "CG0007",
            // 6×6 padded by 1 is 8×8; dilation 2 makes a k-kernel span 2k − 1, so k = 4 is the largest that fits.
            "using ConvGen;\n[Input(1, 6, 6)]\n[Conv2D(4, 7, Padding = 1, Dilation = 2)]\npublic partial class Net { }\n",
            "using ConvGen;\n[Input(1, 6, 6)]\n[Conv2D(4, 4, Padding = 1, Dilation = 2)]\npublic partial class Net { }\n",
            "Use kernel size 4, the largest that fits");

        [Fact]
        public Task A_stride_that_leaves_pixels_unread_becomes_the_nearest_that_does_not() => Check(
            new SetArgumentFix(), "CG0015",
            // 28 − 5 = 23 is prime: of its divisors, 1 and 23, 1 is the nearer to 2.
            "using ConvGen;\n[Input(1, 28, 28)]\n[Conv2D(4, 5, Stride = 2)]\npublic partial class Net { }\n",
            "using ConvGen;\n[Input(1, 28, 28)]\n[Conv2D(4, 5, Stride = 1)]\npublic partial class Net { }\n",
            "Use stride 1, the nearest that reads the whole input");

        [Fact]
        public Task A_pool_whose_default_stride_does_not_fit_gets_an_explicit_one() => Check(
            new SetArgumentFix(), "CG0015",
            // 13 − 3 = 10: stride 3 (the window size) leaves a row; 2 and 5 divide 10, and 2 is nearer.
            "using ConvGen;\n[Input(1, 13, 13)]\n[MaxPool2D(3)]\npublic partial class Net { }\n",
            "using ConvGen;\n[Input(1, 13, 13)]\n[MaxPool2D(3, Stride = 2)]\npublic partial class Net { }\n",
            "Use stride 2, the nearest that reads the whole input");

        [Fact]
        public async Task No_stride_is_offered_when_two_are_equally_near()
        {
            // 30 − 3 = 27: stride 2 lies between the divisors 1 and 3 (and within the window, so CG0015 applies).
            var (titles, text) = await CodeFixHarness.Apply(
                "using ConvGen;\n[Input(1, 30, 30)]\n[Conv2D(4, 3, Stride = 2)]\npublic partial class Net { }\n", "CG0015", new SetArgumentFix());
            Assert.Empty(titles);
            Assert.Null(text);
        }

        [Fact]
        public async Task No_kernel_is_offered_for_a_rectangular_kernel()
        {
            var (titles, _) = await CodeFixHarness.Apply(
                "using ConvGen;\n[Input(1, 6, 6)]\n[Conv2D(4, 3, KernelHeight = 9)]\npublic partial class Net { }\n", "CG0007", new SetArgumentFix());
            Assert.Empty(titles);
        }

        private static async Task Check(CodeFixProvider provider, string id, string source, string expected, string title)
        {
            Assert.Contains(id, provider.FixableDiagnosticIds);
            var (titles, text) = await CodeFixHarness.Apply(source, id, provider);
            Assert.Equal(title, Assert.Single(titles));
            Assert.Equal(expected, text);

            var after = GeneratorHarness.Run(text!);
            Assert.DoesNotContain(after.Diagnostics, d => d.Id == id);
            Assert.Empty(after.CompilerErrors);
        }
    }
}
