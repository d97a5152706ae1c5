using ConvGen.Samples.Digits;

return DigitsCommand.Run(args, LeNet5Digits.Network, outputFolder: "lenet5", epochsByDefault: 12, maxShiftByDefault: 0);
