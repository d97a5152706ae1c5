using Microsoft.CodeAnalysis;

namespace ConvGen.Generator.Parsing
{
    /// <summary>
    /// Whether the compiler already rejected one of an attribute's arguments (a non-constant value is CS0182): such an
    /// argument reads as a default, so the generator stays silent rather than add a misleading range error.
    /// </summary>
    internal static class CompilerRejected
    {
        public static bool Any(AttributeData data)
        {
            foreach (var argument in data.ConstructorArguments)
            {
                if (IsError(argument))
                {
                    return true;
                }
            }

            foreach (var pair in data.NamedArguments)
            {
                if (IsError(pair.Value))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsError(TypedConstant constant)
        {
            if (constant.Kind == TypedConstantKind.Error)
            {
                return true;
            }

            if (constant.Kind == TypedConstantKind.Array && !constant.IsNull)
            {
                foreach (var element in constant.Values)
                {
                    if (IsError(element))
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }
}
