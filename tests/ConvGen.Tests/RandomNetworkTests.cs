using System;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Kernels;
using ConvGen.Tests.RandomNetworks;
using ConvGen.Tests.Reference;
using Xunit.Sdk;

namespace ConvGen.Tests
{
    /// <summary>Compiles the random networks once per test run and unloads them after.</summary>
    public sealed class RandomNetworkFixture : IDisposable
    {
        private readonly Lazy<RandomNetworkAssembly> _assembly =
            new(() => RandomNetworkAssembly.Compile(RandomNetworkSource.Compose(RandomNetworkTests.Networks)));

        public RandomNetworkAssembly Assembly => _assembly.Value;

        public void Dispose()
        {
            if (_assembly.IsValueCreated)
            {
                _assembly.Value.Dispose();
            }
        }
    }

    /// <summary>
    /// Property-style tests: a few hundred random valid declarations (<see cref="RandomNetworkSource"/>), compiled in one
    /// in-memory compilation with the generator, each checked against the float64 <see cref="ReferenceNetwork"/> on every
    /// SIMD level and on one and two threads; every fifth one also gets a finite-difference gradient check.
    /// A failure names the level and thread count and prints the declaration that reproduces it.
    /// </summary>
    [Collection("Simd")]
    public sealed class RandomNetworkTests : IClassFixture<RandomNetworkFixture>
    {
        public const int Count = 140;
        public const int Seed = 20261123;
        private const int GradientEvery = 5;

        public static readonly IReadOnlyList<RandomNetworkDeclaration> Networks = RandomNetworkSource.Generate(Count, Seed);

        private readonly RandomNetworkFixture _fixture;

        public RandomNetworkTests(RandomNetworkFixture fixture) => _fixture = fixture;

        public static IEnumerable<object[]> ForwardCases() => Networks.Select(n => new object[] { n.Index });

        public static IEnumerable<object[]> GradientCases() => Networks.Where(n => n.Index % GradientEvery == 0).Select(n => new object[] { n.Index });

        [Fact]
        public void Random_networks_compile_with_the_generator() =>
            Assert.All(Networks, n => Assert.NotNull(_fixture.Assembly.NetworkType(n.ClassName).GetInterface(nameof(INetwork))));

        [Theory]
        [MemberData(nameof(ForwardCases))]
        public void Forward_matches_the_reference(int index)
        {
            var assembly = _fixture.Assembly;
            Explain(Networks[index], network => CheckForward(assembly.NetworkType(network.ClassName), network));
        }

        [Theory]
        [MemberData(nameof(GradientCases))]
        public void Backward_matches_finite_differences(int index)
        {
            var assembly = _fixture.Assembly;
            Explain(Networks[index], network => CheckGradients(assembly.NetworkType(network.ClassName), network));
        }

        private static void CheckForward(Type type, RandomNetworkDeclaration network)
        {
            var index = network.Index;
            var net = Create(type, seed: index);
            ForwardTests.RandomizeBuffers(net);
            const int batch = 2;
            var input = TestData.Random(batch * net.InputLength, seed: 1000 + index);
            var expected = new ReferenceNetwork(type, net).Forward(input.Select(v => (double)v).ToArray(), batch);
            foreach (var level in TestData.Levels())
            {
                foreach (var threads in new[] { 1, 2 })
                {
                    net.Threads = threads;
                    var output = Enumerable.Repeat(float.NaN, batch * net.OutputLength).ToArray();
                    TestData.WithLevel(level, () => net.Forward(input, output, batch));
                    TestData.AssertClose(output, expected, 1e-4, $"{network.ClassName} output ({level}, {threads} threads)");
                }
            }
        }

        private static void CheckGradients(Type type, RandomNetworkDeclaration network)
        {
            var index = network.Index;
            foreach (var level in TestData.Levels())
            {
                foreach (var threads in new[] { 1, 2 })
                {
                    var what = $"{network.ClassName} ({level}, {threads} threads)";
                    var net = Create(type, seed: index);
                    net.Threads = threads;
                    net.Training = true;
                    ForwardTests.RandomizeBuffers(net);
                    const int batch = 3;
                    var input = TestData.Random(batch * net.InputLength, seed: 2000 + index);
                    var weights = TestData.Random(batch * net.OutputLength, seed: 3000 + index);
                    var inputGradient = new float[input.Length];
                    var reference = new ReferenceNetwork(type, net) { Training = true };
                    TestData.WithLevel(level, () =>
                    {
                        net.Forward(input, new float[batch * net.OutputLength], batch);
                        net.ZeroGradients();
                        net.Backward(weights, inputGradient, batch);
                    });

                    var x = input.Select(v => (double)v).ToArray();
                    double Loss() => reference.Forward(x, batch).Zip(weights, (y, r) => y * r).Sum();
                    var random = new Random(index);
                    foreach (var parameter in net.Parameters)
                    {
                        TestData.CheckSampled(parameter.Gradients.ToArray(), reference.Tensor(parameter.Name), Loss, random, what + " " + parameter.Name);
                    }

                    TestData.CheckSampled(inputGradient, x, Loss, random, what + " input");
                }
            }
        }

        private static INetwork Create(Type type, int seed) => (INetwork)Activator.CreateInstance(type, seed)!;

        /// <summary>Runs <paramref name="body"/>; any failure is rethrown with the declaration that reproduces it.</summary>
        private static void Explain(RandomNetworkDeclaration network, Action<RandomNetworkDeclaration> body)
        {
            try
            {
                body(network);
            }
            catch (Exception e)
            {
                throw new XunitException(
                    $"{e.Message}\n\nReproduce with this network (namespace {RandomNetworkSource.Namespace}, random seed {Seed}, index {network.Index}):\n\n{network.Declaration}\n",
                    e);
            }
        }
    }
}
