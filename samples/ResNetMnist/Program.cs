using ConvGen.Samples.Digits;

return DigitsCommand.Run(args, ResNetMnistDigits.Network, outputFolder: "resnet-mnist", epochsByDefault: 12, maxShiftByDefault: 2);
