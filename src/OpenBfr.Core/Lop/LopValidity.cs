using OpenBfr.Core.Limbs;
using OpenBfr.Core.Safety;

namespace OpenBfr.Core.Lop;

/// <summary>How long a LOP stays usable. It may be shortened by configuration, never beyond <see cref="MaxAllowedAge"/>.</summary>
public sealed record LopValidityOptions
{
    /// <summary>
    /// Default: 7 days. LOP moves with blood pressure, hydration and limb volume from day to day;
    /// Patterson et al. 2019 advise measuring it in the exercise position before training, so a week
    /// is OpenBFR's conservative compromise for home users without a Doppler.
    /// </summary>
    public static readonly TimeSpan DefaultMaxAge = TimeSpan.FromDays(7);

    /// <summary>Upper bound of the configurable age: 30 days.</summary>
    public static readonly TimeSpan MaxAllowedAge = TimeSpan.FromDays(30);

    public LopValidityOptions() : this(DefaultMaxAge) { }

    /// <exception cref="ArgumentOutOfRangeException">age not within 0–30 days.</exception>
    public LopValidityOptions(TimeSpan maxAge)
    {
        Guard.InRange(maxAge.TotalDays, 0, MaxAllowedAge.TotalDays, "days", "lopMaxAgeDays");
        MaxAge = maxAge;
    }

    public TimeSpan MaxAge { get; }
}

/// <summary>The validity rules for using a LOP to set a pressure (DESIGN.md section 3).</summary>
public static class LopValidity
{
    /// <summary>Why a LOP cannot set a pressure now, or null when it can.</summary>
    public static string? Problem(LimbOcclusionPressure lop, Limb limb, BodyPosition position, DateTimeOffset now, LopValidityOptions? options = null)
    {
        options ??= new LopValidityOptions();
        if (lop.Limb != limb)
        {
            return $"the LOP was measured on the {lop.Limb.ToKebab()}, not the {limb.ToKebab()}";
        }
        if (lop.Position != position)
        {
            return $"the LOP was measured {lop.Position.ToString().ToLowerInvariant()} but the exercise is {position.ToString().ToLowerInvariant()}; a LOP is valid only for the position it was measured in ({Sources.Hughes2018})";
        }
        if (lop.MeasuredAt > now + TimeSpan.FromMinutes(5))
        {
            return $"the LOP is dated {lop.MeasuredAt:yyyy-MM-dd HH:mm}, in the future";
        }
        var age = now - lop.MeasuredAt;
        if (age > options.MaxAge)
        {
            return $"the LOP is {age.TotalDays:0.#} days old; it must be re-measured after {options.MaxAge.TotalDays:0.#} days";
        }
        return null;
    }

    /// <summary>Throws when the LOP cannot set a pressure for this limb and position now.</summary>
    /// <exception cref="LopNotUsableException">the LOP is for another limb or position, or too old.</exception>
    public static void EnsureUsable(LimbOcclusionPressure lop, Limb limb, BodyPosition position, DateTimeOffset now, LopValidityOptions? options = null)
    {
        if (Problem(lop, limb, position, now, options) is { } problem)
        {
            throw new LopNotUsableException(problem);
        }
    }
}
