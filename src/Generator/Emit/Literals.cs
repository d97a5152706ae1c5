using System.Globalization;

namespace ConvGen.Generator.Emit
{
    /// <summary>C# literals written culture-invariantly and round-trippably.</summary>
    internal static class Literals
    {
        public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

        /// <summary>A float literal that parses back to exactly <paramref name="value"/>.</summary>
        public static string Float(float value)
        {
            if (float.IsNaN(value))
            {
                return "float.NaN";
            }

            if (float.IsInfinity(value))
            {
                return value > 0 ? "float.PositiveInfinity" : "float.NegativeInfinity";
            }

            var text = value.ToString("R", CultureInfo.InvariantCulture);
            if (float.Parse(text, CultureInfo.InvariantCulture) != value)
            {
                text = value.ToString("G9", CultureInfo.InvariantCulture);
            }

            return text + "f";
        }

        /// <summary>A verbatim-safe regular string literal.</summary>
        public static string String(string value)
        {
            var builder = new System.Text.StringBuilder(value.Length + 2);
            builder.Append('"');
            foreach (var c in value)
            {
                switch (c)
                {
                    case '"': builder.Append("\\\""); break;
                    case '\\': builder.Append("\\\\"); break;
                    case '\n': builder.Append("\\n"); break;
                    case '\r': builder.Append("\\r"); break;
                    case '\t': builder.Append("\\t"); break;
                    default:
                        if (c < ' ')
                        {
                            builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            builder.Append(c);
                        }

                        break;
                }
            }

            return builder.Append('"').ToString();
        }
    }
}
