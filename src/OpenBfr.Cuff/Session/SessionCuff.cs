using OpenBfr.Core;
using OpenBfr.Core.Prescriptions;
using OpenBfr.Cuff.Control;
using OpenBfr.Cuff.Transport;

namespace OpenBfr.Cuff.Session;

/// <summary>
/// The muscle under a cuff, told when a set of reps starts and when it stops early (a pause, a
/// stop). A simulator contracts its simulated muscle from it; with real hardware it is absent.
/// </summary>
public interface IMuscleActivity
{
    /// <summary>A set of <paramref name="reps"/> reps of <paramref name="secondsPerRep"/> each starts now.</summary>
    void BeginSet(int reps, double secondsPerRep);

    /// <summary>The set stops now, before its reps are done.</summary>
    void EndSet();
}

/// <summary>An <see cref="IMuscleActivity"/> from two callbacks (e.g. a simulator's BeginSet and EndSet).</summary>
public sealed class MuscleActivity(Action<int, double> beginSet, Action endSet) : IMuscleActivity
{
    public void BeginSet(int reps, double secondsPerRep) => beginSet(reps, secondsPerRep);

    public void EndSet() => endSet();
}

/// <summary>One cuff of a session: its device, its prescription (LOP, target, ceiling), its controller.</summary>
public sealed record SessionCuff
{
    /// <param name="transport">the cuff device; its id names the cuff in events and telemetry.</param>
    /// <param name="prescription">the limb's prescription: LOP, target, ceiling and protocol.</param>
    /// <param name="regulator">the limb's own pressure controller.</param>
    /// <param name="muscle">optional: told when sets start and stop (a simulator contracts its muscle from it).</param>
    /// <exception cref="ArgumentNullException">a required argument is null.</exception>
    public SessionCuff(ICuffTransport transport, Prescription prescription, IPressureRegulator regulator, IMuscleActivity? muscle = null)
    {
        Transport = Guard.NotNull(transport);
        Prescription = Guard.NotNull(prescription);
        Regulator = Guard.NotNull(regulator);
        Muscle = muscle;
    }

    public string Id => Transport.Id;

    public ICuffTransport Transport { get; }

    public Prescription Prescription { get; }

    public IPressureRegulator Regulator { get; }

    public IMuscleActivity? Muscle { get; }
}
