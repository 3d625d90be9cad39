using OpenBfr.Core.Units;
using OpenBfr.Cuff.Control;
using OpenBfr.Cuff.Session;
using OpenBfr.Cuff.Transport;

namespace OpenBfr.Cuff.Tests.Session;

/// <summary>
/// A small first-order cuff for engine tests (the real simulator is tested on its own): pump
/// raises pressure, valve and leak lower it, reps add a bump, the sensor adds seeded noise and
/// quantisation. Counts heartbeats and remembers the last command.
/// </summary>
internal sealed class FakeCuff(string id, int seed = 0) : ICuffTransport, IMuscleActivity
{
    private readonly Random _random = new(seed);
    private double _repLeft, _repLength;
    private double _t;

    public string Id { get; } = id;

    public double PressureMmHg { get; private set; }

    public ActuatorCommand Last { get; private set; } = ActuatorCommand.Hold;

    public int Heartbeats { get; private set; }

    public int Reps { get; private set; }

    /// <summary>Extra leak, mmHg/s.</summary>
    public double LeakMmHgPerSecond { get; set; }

    public bool SensorFrozen { get; set; }

    public bool PumpDead { get; set; }

    /// <summary>The regulating valve stays closed (and its position sensor says so).</summary>
    public bool ValveStuckClosed { get; set; }

    /// <summary>The device stops reporting actuator feedback.</summary>
    public bool FeedbackLost { get; set; }

    private double _frozenAt = double.NaN;
    private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public bool TryReadPressure(out PressureReading reading)
    {
        var noisy = Math.Round((PressureMmHg + 0.3 * Gaussian() + 1.5 * Math.Min(1, PressureMmHg / 50) * Math.Sin(2 * Math.PI * 1.2 * _t)) * 10) / 10;
        if (SensorFrozen)
        {
            if (double.IsNaN(_frozenAt)) _frozenAt = noisy;
            noisy = _frozenAt;
        }
        reading = new PressureReading(noisy, _now);
        return true;
    }

    public bool TryReadActuators(out ActuatorFeedback feedback)
    {
        feedback = new ActuatorFeedback(PumpDead ? 0 : Last.PumpDuty * (1 + PressureMmHg / 600), ValveStuckClosed ? 0 : Last.ValveOpening, _now);
        return !FeedbackLost;
    }

    public void Command(ActuatorCommand command) => Last = command.Clamped();

    public void Heartbeat() => Heartbeats++;

    private int _setRepsLeft;
    private double _secondsPerRep;

    public void BeginSet(int reps, double secondsPerRep)
    {
        _setRepsLeft = reps;
        _secondsPerRep = secondsPerRep;
        _repLeft = 0;
    }

    public void EndSet() => _setRepsLeft = 0;

    public void Step(TimeSpan by, DateTimeOffset now)
    {
        var dt = by.TotalSeconds;
        _t += dt;
        _now = now;
        var pump = PumpDead ? 0 : Last.PumpDuty * 120 * (1 - PressureMmHg / 450);
        var valve = (ValveStuckClosed && Last != ActuatorCommand.Deflate ? 0 : Last.ValveOpening) * 12 * PressureMmHg;
        PressureMmHg = Math.Max(0, PressureMmHg + (pump - valve - LeakMmHgPerSecond * (PressureMmHg > 0 ? 1 : 0) - 0.05) * dt);
        if (_repLeft <= 0 && _setRepsLeft > 0)
        {
            _setRepsLeft--;
            Reps++;
            _repLength = _repLeft = _secondsPerRep;
        }
        // A contraction adds up to +25 mmHg over the rep, and gives it back.
        if (_repLeft > 0)
        {
            var before = Bump(_repLength - _repLeft);
            _repLeft -= dt;
            PressureMmHg = Math.Max(0, PressureMmHg + Bump(_repLength - Math.Max(_repLeft, 0)) - before);
        }
    }

    private double Bump(double x) => _repLength <= 0 ? 0 : 25 * Math.Sin(Math.PI * Math.Clamp(x / _repLength, 0, 1));

    private double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());
}

/// <summary>A plain proportional regulator for engine tests.</summary>
internal sealed class FakeRegulator : IPressureRegulator
{
    public string Name => "fake";

    public int Resets { get; private set; }

    public void Reset() => Resets++;

    public ActuatorCommand Update(PressureReading reading, Pressure target, Pressure ceiling)
    {
        var error = target.MmHg - reading.PressureMmHg;
        if (error > 2) return new ActuatorCommand(Math.Clamp(error / 8, 0.1, 1), 0);
        if (error < -4) return new ActuatorCommand(0, Math.Clamp(-error / 400, 0, 0.1));
        return ActuatorCommand.Hold;
    }
}
