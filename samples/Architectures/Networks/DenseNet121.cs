namespace ConvGen.Samples.Architectures
{
    /// <summary>
    /// DenseNet-121 (Huang et al., 2017) as torchvision builds it: four dense blocks of 6, 12, 24 and 16 layers, each layer
    /// (BatchNorm, ReLU, 1×1 to 128 channels, BatchNorm, ReLU, 3×3 to 32) concatenated onto its own input, with transitions that
    /// halve channels and resolution in between. Names follow torchvision's <c>state_dict</c>; 7,978,856 parameters.
    /// </summary>
    [Input(3, 224, 224, ExpectedParameters = 7978856)]
    [Conv2D(64, 7, Stride = 2, Padding = 3, Bias = false, Name = "features.conv0")]
    [BatchNorm2D(Name = "features.norm0")]
    [ReLU]
    [MaxPool2D(3, Stride = 2, Padding = 1, Expect = "64x56x56")]

    // denseblock1: 6 layers, each appending 32 new channels to its input
    [Branch]  // denselayer1: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock1.denselayer1.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock1.denselayer1.conv1")]
             [BatchNorm2D(Name = "features.denseblock1.denselayer1.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock1.denselayer1.conv2")]
    [Concat]
    [Branch]  // denselayer2: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock1.denselayer2.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock1.denselayer2.conv1")]
             [BatchNorm2D(Name = "features.denseblock1.denselayer2.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock1.denselayer2.conv2")]
    [Concat]
    [Branch]  // denselayer3: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock1.denselayer3.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock1.denselayer3.conv1")]
             [BatchNorm2D(Name = "features.denseblock1.denselayer3.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock1.denselayer3.conv2")]
    [Concat]
    [Branch]  // denselayer4: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock1.denselayer4.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock1.denselayer4.conv1")]
             [BatchNorm2D(Name = "features.denseblock1.denselayer4.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock1.denselayer4.conv2")]
    [Concat]
    [Branch]  // denselayer5: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock1.denselayer5.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock1.denselayer5.conv1")]
             [BatchNorm2D(Name = "features.denseblock1.denselayer5.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock1.denselayer5.conv2")]
    [Concat]
    [Branch]  // denselayer6: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock1.denselayer6.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock1.denselayer6.conv1")]
             [BatchNorm2D(Name = "features.denseblock1.denselayer6.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock1.denselayer6.conv2")]
    [Concat(Expect = "256x56x56")]

    // transition1: halve the channels and the resolution
    [BatchNorm2D(Name = "features.transition1.norm")]
    [ReLU]
    [Conv2D(128, 1, Bias = false, Name = "features.transition1.conv")]
    [AvgPool2D(2, Expect = "128x28x28")]

    // denseblock2: 12 layers, each appending 32 new channels to its input
    [Branch]  // denselayer1: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock2.denselayer1.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock2.denselayer1.conv1")]
             [BatchNorm2D(Name = "features.denseblock2.denselayer1.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock2.denselayer1.conv2")]
    [Concat]
    [Branch]  // denselayer2: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock2.denselayer2.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock2.denselayer2.conv1")]
             [BatchNorm2D(Name = "features.denseblock2.denselayer2.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock2.denselayer2.conv2")]
    [Concat]
    [Branch]  // denselayer3: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock2.denselayer3.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock2.denselayer3.conv1")]
             [BatchNorm2D(Name = "features.denseblock2.denselayer3.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock2.denselayer3.conv2")]
    [Concat]
    [Branch]  // denselayer4: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock2.denselayer4.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock2.denselayer4.conv1")]
             [BatchNorm2D(Name = "features.denseblock2.denselayer4.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock2.denselayer4.conv2")]
    [Concat]
    [Branch]  // denselayer5: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock2.denselayer5.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock2.denselayer5.conv1")]
             [BatchNorm2D(Name = "features.denseblock2.denselayer5.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock2.denselayer5.conv2")]
    [Concat]
    [Branch]  // denselayer6: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock2.denselayer6.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock2.denselayer6.conv1")]
             [BatchNorm2D(Name = "features.denseblock2.denselayer6.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock2.denselayer6.conv2")]
    [Concat]
    [Branch]  // denselayer7: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock2.denselayer7.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock2.denselayer7.conv1")]
             [BatchNorm2D(Name = "features.denseblock2.denselayer7.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock2.denselayer7.conv2")]
    [Concat]
    [Branch]  // denselayer8: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock2.denselayer8.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock2.denselayer8.conv1")]
             [BatchNorm2D(Name = "features.denseblock2.denselayer8.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock2.denselayer8.conv2")]
    [Concat]
    [Branch]  // denselayer9: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock2.denselayer9.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock2.denselayer9.conv1")]
             [BatchNorm2D(Name = "features.denseblock2.denselayer9.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock2.denselayer9.conv2")]
    [Concat]
    [Branch]  // denselayer10: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock2.denselayer10.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock2.denselayer10.conv1")]
             [BatchNorm2D(Name = "features.denseblock2.denselayer10.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock2.denselayer10.conv2")]
    [Concat]
    [Branch]  // denselayer11: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock2.denselayer11.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock2.denselayer11.conv1")]
             [BatchNorm2D(Name = "features.denseblock2.denselayer11.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock2.denselayer11.conv2")]
    [Concat]
    [Branch]  // denselayer12: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock2.denselayer12.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock2.denselayer12.conv1")]
             [BatchNorm2D(Name = "features.denseblock2.denselayer12.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock2.denselayer12.conv2")]
    [Concat(Expect = "512x28x28")]

    // transition2: halve the channels and the resolution
    [BatchNorm2D(Name = "features.transition2.norm")]
    [ReLU]
    [Conv2D(256, 1, Bias = false, Name = "features.transition2.conv")]
    [AvgPool2D(2, Expect = "256x14x14")]

    // denseblock3: 24 layers, each appending 32 new channels to its input
    [Branch]  // denselayer1: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock3.denselayer1.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock3.denselayer1.conv1")]
             [BatchNorm2D(Name = "features.denseblock3.denselayer1.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock3.denselayer1.conv2")]
    [Concat]
    [Branch]  // denselayer2: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock3.denselayer2.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock3.denselayer2.conv1")]
             [BatchNorm2D(Name = "features.denseblock3.denselayer2.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock3.denselayer2.conv2")]
    [Concat]
    [Branch]  // denselayer3: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock3.denselayer3.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock3.denselayer3.conv1")]
             [BatchNorm2D(Name = "features.denseblock3.denselayer3.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock3.denselayer3.conv2")]
    [Concat]
    [Branch]  // denselayer4: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock3.denselayer4.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock3.denselayer4.conv1")]
             [BatchNorm2D(Name = "features.denseblock3.denselayer4.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock3.denselayer4.conv2")]
    [Concat]
    [Branch]  // denselayer5: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock3.denselayer5.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock3.denselayer5.conv1")]
             [BatchNorm2D(Name = "features.denseblock3.denselayer5.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock3.denselayer5.conv2")]
    [Concat]
    [Branch]  // denselayer6: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock3.denselayer6.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock3.denselayer6.conv1")]
             [BatchNorm2D(Name = "features.denseblock3.denselayer6.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock3.denselayer6.conv2")]
    [Concat]
    [Branch]  // denselayer7: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock3.denselayer7.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock3.denselayer7.conv1")]
             [BatchNorm2D(Name = "features.denseblock3.denselayer7.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock3.denselayer7.conv2")]
    [Concat]
    [Branch]  // denselayer8: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock3.denselayer8.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock3.denselayer8.conv1")]
             [BatchNorm2D(Name = "features.denseblock3.denselayer8.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock3.denselayer8.conv2")]
    [Concat]
    [Branch]  // denselayer9: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock3.denselayer9.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock3.denselayer9.conv1")]
             [BatchNorm2D(Name = "features.denseblock3.denselayer9.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock3.denselayer9.conv2")]
    [Concat]
    [Branch]  // denselayer10: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock3.denselayer10.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock3.denselayer10.conv1")]
             [BatchNorm2D(Name = "features.denseblock3.denselayer10.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock3.denselayer10.conv2")]
    [Concat]
    [Branch]  // denselayer11: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock3.denselayer11.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock3.denselayer11.conv1")]
             [BatchNorm2D(Name = "features.denseblock3.denselayer11.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock3.denselayer11.conv2")]
    [Concat]
    [Branch]  // denselayer12: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock3.denselayer12.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock3.denselayer12.conv1")]
             [BatchNorm2D(Name = "features.denseblock3.denselayer12.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock3.denselayer12.conv2")]
    [Concat]
    [Branch]  // denselayer13: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock3.denselayer13.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock3.denselayer13.conv1")]
             [BatchNorm2D(Name = "features.denseblock3.denselayer13.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock3.denselayer13.conv2")]
    [Concat]
    [Branch]  // denselayer14: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock3.denselayer14.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock3.denselayer14.conv1")]
             [BatchNorm2D(Name = "features.denseblock3.denselayer14.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock3.denselayer14.conv2")]
    [Concat]
    [Branch]  // denselayer15: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock3.denselayer15.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock3.denselayer15.conv1")]
             [BatchNorm2D(Name = "features.denseblock3.denselayer15.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock3.denselayer15.conv2")]
    [Concat]
    [Branch]  // denselayer16: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock3.denselayer16.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock3.denselayer16.conv1")]
             [BatchNorm2D(Name = "features.denseblock3.denselayer16.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock3.denselayer16.conv2")]
    [Concat]
    [Branch]  // denselayer17: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock3.denselayer17.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock3.denselayer17.conv1")]
             [BatchNorm2D(Name = "features.denseblock3.denselayer17.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock3.denselayer17.conv2")]
    [Concat]
    [Branch]  // denselayer18: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock3.denselayer18.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock3.denselayer18.conv1")]
             [BatchNorm2D(Name = "features.denseblock3.denselayer18.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock3.denselayer18.conv2")]
    [Concat]
    [Branch]  // denselayer19: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock3.denselayer19.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock3.denselayer19.conv1")]
             [BatchNorm2D(Name = "features.denseblock3.denselayer19.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock3.denselayer19.conv2")]
    [Concat]
    [Branch]  // denselayer20: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock3.denselayer20.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock3.denselayer20.conv1")]
             [BatchNorm2D(Name = "features.denseblock3.denselayer20.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock3.denselayer20.conv2")]
    [Concat]
    [Branch]  // denselayer21: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock3.denselayer21.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock3.denselayer21.conv1")]
             [BatchNorm2D(Name = "features.denseblock3.denselayer21.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock3.denselayer21.conv2")]
    [Concat]
    [Branch]  // denselayer22: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock3.denselayer22.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock3.denselayer22.conv1")]
             [BatchNorm2D(Name = "features.denseblock3.denselayer22.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock3.denselayer22.conv2")]
    [Concat]
    [Branch]  // denselayer23: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock3.denselayer23.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock3.denselayer23.conv1")]
             [BatchNorm2D(Name = "features.denseblock3.denselayer23.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock3.denselayer23.conv2")]
    [Concat]
    [Branch]  // denselayer24: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock3.denselayer24.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock3.denselayer24.conv1")]
             [BatchNorm2D(Name = "features.denseblock3.denselayer24.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock3.denselayer24.conv2")]
    [Concat(Expect = "1024x14x14")]

    // transition3: halve the channels and the resolution
    [BatchNorm2D(Name = "features.transition3.norm")]
    [ReLU]
    [Conv2D(512, 1, Bias = false, Name = "features.transition3.conv")]
    [AvgPool2D(2, Expect = "512x7x7")]

    // denseblock4: 16 layers, each appending 32 new channels to its input
    [Branch]  // denselayer1: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock4.denselayer1.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock4.denselayer1.conv1")]
             [BatchNorm2D(Name = "features.denseblock4.denselayer1.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock4.denselayer1.conv2")]
    [Concat]
    [Branch]  // denselayer2: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock4.denselayer2.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock4.denselayer2.conv1")]
             [BatchNorm2D(Name = "features.denseblock4.denselayer2.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock4.denselayer2.conv2")]
    [Concat]
    [Branch]  // denselayer3: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock4.denselayer3.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock4.denselayer3.conv1")]
             [BatchNorm2D(Name = "features.denseblock4.denselayer3.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock4.denselayer3.conv2")]
    [Concat]
    [Branch]  // denselayer4: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock4.denselayer4.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock4.denselayer4.conv1")]
             [BatchNorm2D(Name = "features.denseblock4.denselayer4.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock4.denselayer4.conv2")]
    [Concat]
    [Branch]  // denselayer5: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock4.denselayer5.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock4.denselayer5.conv1")]
             [BatchNorm2D(Name = "features.denseblock4.denselayer5.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock4.denselayer5.conv2")]
    [Concat]
    [Branch]  // denselayer6: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock4.denselayer6.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock4.denselayer6.conv1")]
             [BatchNorm2D(Name = "features.denseblock4.denselayer6.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock4.denselayer6.conv2")]
    [Concat]
    [Branch]  // denselayer7: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock4.denselayer7.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock4.denselayer7.conv1")]
             [BatchNorm2D(Name = "features.denseblock4.denselayer7.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock4.denselayer7.conv2")]
    [Concat]
    [Branch]  // denselayer8: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock4.denselayer8.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock4.denselayer8.conv1")]
             [BatchNorm2D(Name = "features.denseblock4.denselayer8.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock4.denselayer8.conv2")]
    [Concat]
    [Branch]  // denselayer9: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock4.denselayer9.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock4.denselayer9.conv1")]
             [BatchNorm2D(Name = "features.denseblock4.denselayer9.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock4.denselayer9.conv2")]
    [Concat]
    [Branch]  // denselayer10: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock4.denselayer10.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock4.denselayer10.conv1")]
             [BatchNorm2D(Name = "features.denseblock4.denselayer10.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock4.denselayer10.conv2")]
    [Concat]
    [Branch]  // denselayer11: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock4.denselayer11.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock4.denselayer11.conv1")]
             [BatchNorm2D(Name = "features.denseblock4.denselayer11.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock4.denselayer11.conv2")]
    [Concat]
    [Branch]  // denselayer12: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock4.denselayer12.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock4.denselayer12.conv1")]
             [BatchNorm2D(Name = "features.denseblock4.denselayer12.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock4.denselayer12.conv2")]
    [Concat]
    [Branch]  // denselayer13: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock4.denselayer13.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock4.denselayer13.conv1")]
             [BatchNorm2D(Name = "features.denseblock4.denselayer13.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock4.denselayer13.conv2")]
    [Concat]
    [Branch]  // denselayer14: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock4.denselayer14.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock4.denselayer14.conv1")]
             [BatchNorm2D(Name = "features.denseblock4.denselayer14.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock4.denselayer14.conv2")]
    [Concat]
    [Branch]  // denselayer15: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock4.denselayer15.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock4.denselayer15.conv1")]
             [BatchNorm2D(Name = "features.denseblock4.denselayer15.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock4.denselayer15.conv2")]
    [Concat]
    [Branch]  // denselayer16: its input, and
    [Branch] [BatchNorm2D(Name = "features.denseblock4.denselayer16.norm1")] [ReLU] [Conv2D(128, 1, Bias = false, Name = "features.denseblock4.denselayer16.conv1")]
             [BatchNorm2D(Name = "features.denseblock4.denselayer16.norm2")] [ReLU] [Conv2D(32, 3, Padding = 1, Bias = false, Name = "features.denseblock4.denselayer16.conv2")]
    [Concat(Expect = "1024x7x7")]

    [BatchNorm2D(Name = "features.norm5")]
    [ReLU]
    [GlobalAvgPool2D]
    [Flatten]
    [Dense(1000, Name = "classifier")]
    public partial class DenseNet121 { }
}
