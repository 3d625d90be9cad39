using System.Globalization;

namespace OpenBfr.Core.Units;

/// <summary>
/// A gauge pressure in millimetres of mercury. The domain never passes cuff pressures as bare
/// doubles; raw numbers appear only at the hardware boundary with the unit in the name.
/// </summary>
public readonly struct Pressure : IEquatable<Pressure>, IComparable<Pressure>
{
    /// <summary>Zero gauge pressure: a deflated cuff.</summary>
    public static readonly Pressure Zero = new(0);

    /// <summary>
    /// Absolute cuff pressure cap: any reading above it is a fault (DESIGN.md section 3;
    /// also the cap of the manual Doppler protocol, Loenneke et al. 2012).
    /// </summary>
    public static readonly Pressure MaxCuff = new(300);

    /// <summary>Largest magnitude the type accepts at all; beyond this a value is surely a unit error.</summary>
    public const double MaxRepresentableMmHg = 1000;

    private Pressure(double mmHg) => MmHg = mmHg;

    /// <summary>The pressure in mmHg.</summary>
    /// <value>-1000–1000 mmHg (negative only as a difference).</value>
    public double MmHg { get; }

    /// <summary>Creates a pressure from mmHg.</summary>
    /// <exception cref="ArgumentOutOfRangeException">not finite or beyond ±1000 mmHg.</exception>
    public static Pressure FromMmHg(double mmHg)
    {
        Guard.InRange(mmHg, -MaxRepresentableMmHg, MaxRepresentableMmHg, "mmHg", nameof(mmHg));
        return new Pressure(mmHg);
    }

    /// <summary>Creates a pressure from kilopascals (1 mmHg = 0.133322 kPa).</summary>
    public static Pressure FromKilopascals(double kPa) => FromMmHg(kPa / 0.133322387415);

    /// <summary>The pressure in kilopascals.</summary>
    public double Kilopascals => MmHg * 0.133322387415;

    /// <summary>This pressure as a percentage of <paramref name="reference"/> (e.g. of a LOP).</summary>
    public double PercentOf(Pressure reference) => reference.MmHg == 0 ? double.NaN : 100.0 * MmHg / reference.MmHg;

    /// <summary>The given percentage of this pressure.</summary>
    public Pressure Percent(double percent) => FromMmHg(MmHg * percent / 100.0);

    /// <summary>Rounded to the nearest whole mmHg, as cuffs and clinicians state pressures.</summary>
    public Pressure RoundedToWholeMmHg() => new(Math.Round(MmHg, MidpointRounding.AwayFromZero));

    public static Pressure operator +(Pressure a, Pressure b) => FromMmHg(a.MmHg + b.MmHg);
    public static Pressure operator -(Pressure a, Pressure b) => FromMmHg(a.MmHg - b.MmHg);
    public static Pressure operator *(Pressure a, double k) => FromMmHg(a.MmHg * k);
    public static bool operator <(Pressure a, Pressure b) => a.MmHg < b.MmHg;
    public static bool operator >(Pressure a, Pressure b) => a.MmHg > b.MmHg;
    public static bool operator <=(Pressure a, Pressure b) => a.MmHg <= b.MmHg;
    public static bool operator >=(Pressure a, Pressure b) => a.MmHg >= b.MmHg;
    public static bool operator ==(Pressure a, Pressure b) => a.Equals(b);
    public static bool operator !=(Pressure a, Pressure b) => !a.Equals(b);

    public static Pressure Min(Pressure a, Pressure b) => a <= b ? a : b;
    public static Pressure Max(Pressure a, Pressure b) => a >= b ? a : b;

    public bool Equals(Pressure other) => MmHg.Equals(other.MmHg);
    public override bool Equals(object? obj) => obj is Pressure p && Equals(p);
    public override int GetHashCode() => MmHg.GetHashCode();
    public int CompareTo(Pressure other) => MmHg.CompareTo(other.MmHg);
    public override string ToString() => MmHg.ToString("0.#", CultureInfo.InvariantCulture) + " mmHg";
}
