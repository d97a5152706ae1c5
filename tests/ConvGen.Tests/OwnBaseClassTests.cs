using ConvGen.Tests.Networks;

namespace ConvGen.Tests
{
    /// <summary>
    /// A network class may have its own base class: the generated half declares only interfaces and keeps the
    /// network-independent code in a runtime object it owns (docs/architecture.md, "The runtime half"), so a base class of
    /// the user's is free. Training and inference behave exactly as for the same layers without one.
    /// </summary>
    public sealed class OwnBaseClassTests
    {
        [Fact]
        public void A_network_with_its_own_base_class_trains_as_one_without()
        {
            var own = new OwnBaseNet(seed: 5) { Owner = "the lab", Threads = 2 };
            var plain = new NoBaseNet(seed: 5) { Threads = 2 };
            ModelCard card = own;
            Assert.Equal("small conv net of the lab", card.Title);

            const int batch = 3;
            var inputs = TestData.Random(batch * OwnBaseNet.InputLength, seed: 2);
            var labels = new[] { 0, 3, 1 };
            for (var step = 0; step < 3; step++)
            {
                Assert.Equal(plain.TrainStep(inputs, labels, batch, new Sgd(0.1f)), own.TrainStep(inputs, labels, batch, new Sgd(0.1f)));
            }

            var ownOutput = new float[batch * OwnBaseNet.OutputLength];
            var plainOutput = new float[batch * NoBaseNet.OutputLength];
            own.Forward(inputs, ownOutput, batch);
            plain.Forward(inputs, plainOutput, batch);
            Assert.Equal(plainOutput, ownOutput);
            Assert.Equal(plain.ParameterValues.ToArray(), own.ParameterValues.ToArray());
            Assert.NotEqual(new NoBaseNet(seed: 5).ParameterValues.ToArray(), own.ParameterValues.ToArray());
        }
    }
}
