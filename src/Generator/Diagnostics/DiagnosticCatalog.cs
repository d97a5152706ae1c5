using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generator.Diagnostics
{
    /// <summary>Every diagnostic ConvGen reports. Each id has a page at docs/diagnostics/{id}.md.</summary>
    internal static class DiagnosticCatalog
    {
        private const string Category = "ConvGen";
        private const string HelpRoot = "https://github.com/convgen/convgen/blob/main/docs/diagnostics/";

        // Reliability (CG0040–CG0049).
        public static readonly DiagnosticDescriptor GeneratorFailure = Error(
            "CG0040", "ConvGen failed on this network",
            "ConvGen could not generate network '{0}' ({1}); the other networks are unaffected. This is a bug in ConvGen: please report it with the declaration.");

        public static readonly DiagnosticDescriptor InvalidLayerName = Error(
            "CG0041", "Layer name is not valid",
            "Layer name '{0}' is not valid: {1}. A layer name is letters, digits, '_' and '.', starts with a letter or '_', and has at most 200 characters");

        public static readonly DiagnosticDescriptor LayerNamesCollide = Error(
            "CG0042", "Two layer names become one identifier",
            "Layer names '{0}' and '{1}' would become one identifier ('{2}') in the generated code, which changes the first letter's case, turns '.' into '_' and normalizes Unicode; rename one");

        public static readonly DiagnosticDescriptor ClassNameReserved = Error(
            "CG0043", "Class name cannot hold a generated network",
            "Network class '{0}' cannot hold the generated code: {1}; rename the class");

        public static readonly DiagnosticDescriptor ClassStatic = Error(
            "CG0044", "Network class must not be static",
            "Network class '{0}' is static, but a network is an object with its own parameters and buffers; remove 'static'");

        public static readonly DiagnosticDescriptor NothingToCompute = Error(
            "CG0045", "Network has no layer that computes anything",
            "Network '{0}' has no layers after [Input] (or only [Flatten]), so there is nothing to compute or train; add a layer");

        public static readonly DiagnosticDescriptor BufferTooLarge = Error(
            "CG0046", "Buffer larger than a .NET array",
            "{0}: {1} needs {2} floats, more than a .NET array holds (2,147,483,591); use a smaller input, fewer filters or a larger stride");

        public static readonly DiagnosticDescriptor PaddedInputTooLarge = Error(
            "CG0047", "Padded input too large to index",
            "Layer '{0}' ({1}): the input {2} padded to {3} is more than ConvGen can index (2,147,483,647 rows or columns); padding only needs to reach past the kernel, so lower Padding");

        public static readonly DiagnosticDescriptor ClassNotPartial = Error(
            "CG0001", "Network class must be partial",
            "Network class '{0}' must be declared partial so ConvGen can add its generated members");

        public static readonly DiagnosticDescriptor ClassNested = Error(
            "CG0002", "Network class must not be nested",
            "Network class '{0}' is nested in '{1}'; declare it at namespace level");

        public static readonly DiagnosticDescriptor ClassGeneric = Error(
            "CG0003", "Network class must not be generic",
            "Network class '{0}' is generic; a network has fixed shapes, so declare it without type parameters");

        public static readonly DiagnosticDescriptor MissingInput = Error(
            "CG0004", "Network has no [Input]",
            "Class '{0}' declares layers but no [Input(channels, height, width)]; add one so the shapes can be inferred");

        public static readonly DiagnosticDescriptor LayersSplitAcrossPartials = Error(
            "CG0005", "Layers declared on several partial declarations",
            "Network '{0}' declares layers on more than one partial declaration, so their order is ambiguous; keep [Input] and all layers on one declaration");

        public static readonly DiagnosticDescriptor NonPositiveArgument = Error(
            "CG0006", "Layer argument out of range",
            "Layer '{0}' ({1}): {2} must be at least {3}, but is {4}");

        public static readonly DiagnosticDescriptor KernelLargerThanInput = Error(
            "CG0007", "Kernel larger than its padded input",
            "Layer '{0}' (Conv2D): the {1}×{2} kernel (dilated to {3}×{4}) does not fit the input {5} padded to {6}×{7}");

        public static readonly DiagnosticDescriptor GroupsDoNotDivide = Error(
            "CG0008", "Groups do not divide the channels",
            "Layer '{0}' (Conv2D): Groups = {1} must divide both the input channels ({2}) and the filters ({3})");

        public static readonly DiagnosticDescriptor DenseNeedsFlatten = Error(
            "CG0009", "Dense layer after a spatial layer",
            "Layer '{0}' (Dense) reads the spatial shape {1}; add [Flatten] before it to turn it into {2} features");

        public static readonly DiagnosticDescriptor PoolWindowTooLarge = Error(
            "CG0010", "Pooling window larger than its input",
            "Layer '{0}' ({1}): the {2}×{2} window does not fit the input {3} padded to {4}×{5}");

        public static readonly DiagnosticDescriptor DropoutRateOutOfRange = Error(
            "CG0011", "Dropout rate outside [0, 1)",
            "Layer '{0}' (Dropout): the rate must be in [0, 1), but is {1}");

        public static readonly DiagnosticDescriptor ExpectMismatch = Error(
            "CG0012", "Layer output differs from Expect",
            "Layer '{0}' ({1}) outputs {2}, but Expect = \"{3}\" (input {4})");

        public static readonly DiagnosticDescriptor ExpectedParametersMismatch = Error(
            "CG0013", "Parameter count differs from ExpectedParameters",
            "Network '{0}' has {1} trainable parameters, but ExpectedParameters = {2}");

        public static readonly DiagnosticDescriptor ExpectInvalid = Error(
            "CG0014", "Expect is not a shape",
            "Layer '{0}' ({1}): Expect = \"{2}\" is not a shape; write \"CxHxW\" (e.g. \"96x55x55\") or one number for flat layers");

        public static readonly DiagnosticDescriptor StrideDoesNotFit = Warning(
            "CG0015", "Stride does not fit the input",
            "Layer '{0}' ({1}): ({2} − {3}) / {4} + 1 = {5} is not whole, so the output keeps {6} and the stride never reaches the padded input's last {7} (0-based {8})");

        public static readonly DiagnosticDescriptor NeedsSpatialInput = Error(
            "CG0016", "Layer needs a spatial input",
            "Layer '{0}' ({1}) needs a C×H×W input, but reads the flat shape {2}");

        public static readonly DiagnosticDescriptor OutputSizeNotPositive = Error(
            "CG0017", "Layer output would be empty",
            "Layer '{0}' ({1}): the output size for input {2} is {3}×{4}, which is empty");

        public static readonly DiagnosticDescriptor DuplicateLayerName = Error(
            "CG0018", "Two layers share a name",
            "Layer name '{0}' is used by more than one layer; parameter names must be unique");

        public static readonly DiagnosticDescriptor SoftmaxActivationNotDense = Error(
            "CG0019", "Softmax is only a Dense activation",
            "Layer '{0}' ({1}): Activation.Softmax is only for Dense layers; add a [Softmax] layer after it instead");

        public static readonly DiagnosticDescriptor TooManyParameters = Error(
            "CG0020", "Network has too many parameters",
            "Network '{0}' has {1} trainable parameters, more than ConvGen's limit of 2,147,483,647");

        public static readonly DiagnosticDescriptor PoolPaddingTooLarge = Error(
            "CG0021", "Pooling padding larger than half the window",
            "Layer '{0}' ({1}): Padding = {2} must be at most half the window size {3}");

        public static readonly DiagnosticDescriptor InvalidNumber = Error(
            "CG0022", "Layer option is not a finite number in range",
            "Layer '{0}' ({1}): {2} = {3} is not valid; {4}");

        public static readonly DiagnosticDescriptor UnknownLayerAttribute = Error(
            "CG0023", "Unknown layer attribute",
            "Attribute '{0}' on network '{1}' derives from ConvGen.LayerAttribute but is not a ConvGen layer; only the built-in layer attributes can be compiled");

        public static readonly DiagnosticDescriptor LayerTooLarge = Error(
            "CG0024", "Layer too large",
            "Layer '{0}' ({1}) on input {2}: {3}, more than ConvGen's limit of 2,147,483,647");

        public static readonly DiagnosticDescriptor NetworkIsRecord = Error(
            "CG0025", "Network must be a class, not a record",
            "'{0}' is a record; a network is a mutable object with generated fields, so declare it as 'public partial class {0}'");

        public static readonly DiagnosticDescriptor PaddingConflictsWithMode = Error(
            "CG0026", "Padding given together with PaddingMode",
            "Layer '{0}' (Conv2D): Padding = {1} conflicts with PaddingMode.{2}, which decides the padding itself; remove one of them");

        public static readonly DiagnosticDescriptor UnclosedGroup = Error(
            "CG0027", "[Branch] group never merged",
            "The [Branch] group opened here at '{0}' ({1}) is never closed; end it with [Add] or [Concat] after its last branch");

        public static readonly DiagnosticDescriptor MergeWithoutGroup = Error(
            "CG0028", "Merge without inputs",
            "Layer '{0}' ({1}) has nothing to merge: no [Branch] group is open and it names no layers; put [Branch] before each branch, or name the layers, e.g. [{1}(\"a\", \"b\")]");

        public static readonly DiagnosticDescriptor NothingToMerge = Error(
            "CG0029", "Merge of a single value",
            "Layer '{0}' ({1}) has nothing to merge: {2}");

        public static readonly DiagnosticDescriptor AddShapesDiffer = Error(
            "CG0030", "Add over different shapes",
            "Layer '{0}' (Add) sums values of different shapes: {1}{2}");

        public static readonly DiagnosticDescriptor ConcatShapesDiffer = Error(
            "CG0031", "Concat inputs do not line up",
            "Layer '{0}' (Concat) joins {1}, but {2}");

        public static readonly DiagnosticDescriptor UnknownInput = Error(
            "CG0032", "Input names no layer",
            "Layer '{0}' ({1}) reads '{2}', but no layer has that name; name an earlier layer, or \"input\" for the network input");

        public static readonly DiagnosticDescriptor ForwardReference = Error(
            "CG0033", "Input names a later layer",
            "Layer '{0}' ({1}) reads '{2}', which is declared after it; a layer can only read layers declared before it (the declaration order is the order of computation)");

        public static readonly DiagnosticDescriptor SelfReference = Error(
            "CG0034", "Layer reads itself",
            "Layer '{0}' ({1}) reads its own output; name an earlier layer, or \"input\" for the network input");

        public static readonly DiagnosticDescriptor ReservedLayerName = Error(
            "CG0035", "Layer named \"input\"",
            "Layer name 'input' ({0}) is reserved for the network input (From = \"input\"); choose another name");

        public static readonly DiagnosticDescriptor UnusedLayer = Warning(
            "CG0036", "Layer computed but never read",
            "Layer '{0}' ({1}) is computed but never read: no later layer reads it, and only the last layer is the network's output");

        public static readonly DiagnosticDescriptor FromOnMerge = Error(
            "CG0037", "From on a merge",
            "Layer '{0}' ({1}) merges {2}, so From = \"{3}\" does not apply; remove it");

        private static readonly Dictionary<string, DiagnosticDescriptor> ById = new()
        {
            [GeneratorFailure.Id] = GeneratorFailure,
            [InvalidLayerName.Id] = InvalidLayerName,
            [LayerNamesCollide.Id] = LayerNamesCollide,
            [ClassNameReserved.Id] = ClassNameReserved,
            [ClassStatic.Id] = ClassStatic,
            [NothingToCompute.Id] = NothingToCompute,
            [BufferTooLarge.Id] = BufferTooLarge,
            [PaddedInputTooLarge.Id] = PaddedInputTooLarge,
            [ClassNotPartial.Id] = ClassNotPartial,
            [ClassNested.Id] = ClassNested,
            [ClassGeneric.Id] = ClassGeneric,
            [MissingInput.Id] = MissingInput,
            [LayersSplitAcrossPartials.Id] = LayersSplitAcrossPartials,
            [NonPositiveArgument.Id] = NonPositiveArgument,
            [KernelLargerThanInput.Id] = KernelLargerThanInput,
            [GroupsDoNotDivide.Id] = GroupsDoNotDivide,
            [DenseNeedsFlatten.Id] = DenseNeedsFlatten,
            [PoolWindowTooLarge.Id] = PoolWindowTooLarge,
            [DropoutRateOutOfRange.Id] = DropoutRateOutOfRange,
            [ExpectMismatch.Id] = ExpectMismatch,
            [ExpectedParametersMismatch.Id] = ExpectedParametersMismatch,
            [ExpectInvalid.Id] = ExpectInvalid,
            [StrideDoesNotFit.Id] = StrideDoesNotFit,
            [NeedsSpatialInput.Id] = NeedsSpatialInput,
            [OutputSizeNotPositive.Id] = OutputSizeNotPositive,
            [DuplicateLayerName.Id] = DuplicateLayerName,
            [SoftmaxActivationNotDense.Id] = SoftmaxActivationNotDense,
            [TooManyParameters.Id] = TooManyParameters,
            [PoolPaddingTooLarge.Id] = PoolPaddingTooLarge,
            [InvalidNumber.Id] = InvalidNumber,
            [UnknownLayerAttribute.Id] = UnknownLayerAttribute,
            [LayerTooLarge.Id] = LayerTooLarge,
            [NetworkIsRecord.Id] = NetworkIsRecord,
            [PaddingConflictsWithMode.Id] = PaddingConflictsWithMode,
            [UnclosedGroup.Id] = UnclosedGroup,
            [MergeWithoutGroup.Id] = MergeWithoutGroup,
            [NothingToMerge.Id] = NothingToMerge,
            [AddShapesDiffer.Id] = AddShapesDiffer,
            [ConcatShapesDiffer.Id] = ConcatShapesDiffer,
            [UnknownInput.Id] = UnknownInput,
            [ForwardReference.Id] = ForwardReference,
            [SelfReference.Id] = SelfReference,
            [ReservedLayerName.Id] = ReservedLayerName,
            [UnusedLayer.Id] = UnusedLayer,
            [FromOnMerge.Id] = FromOnMerge,
        };

        public static IEnumerable<DiagnosticDescriptor> All => ById.Values;

        public static DiagnosticDescriptor Get(string id) => ById[id];

        public static bool IsWarning(string id) => ById[id].DefaultSeverity == DiagnosticSeverity.Warning;

        private static DiagnosticDescriptor Error(string id, string title, string message) =>
            new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + id + ".md");

        private static DiagnosticDescriptor Warning(string id, string title, string message) =>
            new(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpRoot + id + ".md");
    }
}
