using System.Globalization;
using System.Runtime.CompilerServices;

namespace OpenBfr.Core;

/// <summary>
/// The one helper for argument checks. Messages name the argument, the allowed range with
/// its unit, and the value that was given ("systolic must be 70–250 mmHg, was 400").
/// </summary>
public static class Guard
{
    /// <summary>Throws unless <paramref name="min"/> ≤ value ≤ <paramref name="max"/> (and value is finite).</summary>
    /// <exception cref="ArgumentOutOfRangeException">value outside the range or not a number.</exception>
    public static double InRange(double value, double min, double max, string unit = "",
        [CallerArgumentExpression(nameof(value))] string name = "")
    {
        if (!double.IsFinite(value) || value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(name, value,
                $"{name} must be {Format(min)}–{Format(max)}{Unit(unit)}, was {Format(value)}");
        }
        return value;
    }

    /// <summary>Integer overload of <see cref="InRange(double,double,double,string,string)"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">value outside the range.</exception>
    public static int InRange(int value, int min, int max, string unit = "",
        [CallerArgumentExpression(nameof(value))] string name = "")
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(name, value,
                $"{name} must be {min}–{max}{Unit(unit)}, was {value}");
        }
        return value;
    }

    /// <summary>Throws unless value &gt; 0 and finite.</summary>
    /// <exception cref="ArgumentOutOfRangeException">value not positive.</exception>
    public static double Positive(double value, string unit = "",
        [CallerArgumentExpression(nameof(value))] string name = "")
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value,
                $"{name} must be greater than 0{Unit(unit)}, was {Format(value)}");
        }
        return value;
    }

    /// <summary>Throws when the reference is null.</summary>
    /// <exception cref="ArgumentNullException">value is null.</exception>
    public static T NotNull<T>(T? value, [CallerArgumentExpression(nameof(value))] string name = "")
        where T : class
        => value ?? throw new ArgumentNullException(name, $"{name} is required");

    /// <summary>Throws when the enum value is not one of the defined names.</summary>
    /// <exception cref="ArgumentOutOfRangeException">value undefined.</exception>
    public static T Defined<T>(T value, [CallerArgumentExpression(nameof(value))] string name = "")
        where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            throw new ArgumentOutOfRangeException(name, value,
                $"{name} must be one of {string.Join(", ", Enum.GetNames<T>())}, was {value}");
        }
        return value;
    }

    /// <summary>"12.5"; past a billion in size, "1e+308" (a typed 1e308 once came back as 309 digits).</summary>
    internal static string Format(double v)
        => v.ToString(Math.Abs(v) >= 1e9 ? "0.###e+0" : "0.###", CultureInfo.InvariantCulture);

    private static string Unit(string unit) => unit.Length == 0 ? "" : " " + unit;
}
