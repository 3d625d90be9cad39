using System.Globalization;
using OpenBfr.Core.Limbs;

namespace OpenBfr.Cuff.Simulation;

/// <summary>
/// Everything the cuff simulator needs to know about one limb, its cuff and its sensor. An
/// immutable options record: every property has a documented default and range, and
/// <see cref="Validate"/> reports every bad value at once. Start from <see cref="Leg"/> or
/// <see cref="Arm"/> and change what the test needs with <c>with { … }</c>.
/// Physical model (DESIGN.md section 5): air in an inelastic-shell bladder whose volume grows
/// with pressure as <c>V(P) = V0 + C0·Pc·ln(1 + P/Pc) − ΔVlimb</c> (compliance C0/(1 + P/Pc),
/// so stiffer as pressure rises), air compressed isothermally (Boyle), pump flow falling
/// linearly to zero at the stall pressure, valve and leak flow ∝ √P. Anything that swells the
/// limb under the cuff (contraction, swelling, the arterial pulse) takes bladder volume and so
/// raises the pressure.
/// </summary>
public sealed record SimulatedLimb
{
    /// <summary>The limb's true occlusion pressure for this cuff and position: the arterial pulse vanishes at and above it.</summary>
    /// <value>50–400 mmHg; default 200.</value>
    public double TrueLopMmHg { get; init; } = 200;

    /// <summary>Arm or leg (sets nothing by itself: the factories pick sizes for it).</summary>
    public LimbKind LimbKind { get; init; } = LimbKind.Leg;

    /// <summary>
    /// Body position. Seated and standing add motion (postural sway: ×2.5 and ×5 the supine
    /// artefact) and hydrostatic swelling (×1.25 and ×1.6); the LOP itself is <see cref="TrueLopMmHg"/>,
    /// which the caller sets for the position (see <see cref="TypicalLegLopMmHg"/>).
    /// </summary>
    public BodyPosition Position { get; init; } = BodyPosition.Supine;

    /// <summary>Heart rate.</summary>
    /// <value>30–220 beats/min; default 70.</value>
    public double HeartRateBpm { get; init; } = 70;

    /// <summary>Beat-to-beat variation of the RR interval, as a share of it (sd).</summary>
    /// <value>0–0.2; default 0.04.</value>
    public double HeartRateVariability { get; init; } = 0.04;

    /// <summary>Diastolic arterial pressure in the limb.</summary>
    /// <value>30–140 mmHg; default 75.</value>
    public double DiastolicMmHg { get; init; } = 75;

    /// <summary>Arterial pulse pressure (systolic − diastolic) in the limb.</summary>
    /// <value>10–120 mmHg; default 50.</value>
    public double PulsePressureMmHg { get; init; } = 50;

    /// <summary>Beat-to-beat variation of the pulse pressure, as a share of it (sd).</summary>
    /// <value>0–0.3; default 0.05.</value>
    public double PulsePressureVariability { get; init; } = 0.05;

    /// <summary>
    /// Volume of the arterial bed under the cuff that fills and empties with each beat when the
    /// artery is fully open; it sets the size of the oscillometric pulse in the cuff.
    /// </summary>
    /// <value>0–20 mL; default 2.5 (thigh).</value>
    public double ArterialPulseVolumeMl { get; init; } = 2.5;

    /// <summary>Bladder air volume at zero gauge pressure when the cuff is snug on the limb.</summary>
    /// <value>10–2000 mL; default 150 (11.5 cm thigh cuff).</value>
    public double BladderSlackVolumeMl { get; init; } = 150;

    /// <summary>Bladder compliance at zero pressure (dV/dP), falling as 1/(1 + P/Pc).</summary>
    /// <value>0.05–50 mL/mmHg; default 3.</value>
    public double BladderComplianceMlPerMmHg { get; init; } = 3;

    /// <summary>Pressure scale Pc over which the bladder stiffens.</summary>
    /// <value>5–500 mmHg; default 50.</value>
    public double BladderStiffeningMmHg { get; init; } = 50;

    /// <summary>The cuff's own leak (seams, connectors): flow = k·√P.</summary>
    /// <value>0–5 mL/s per √mmHg; default 0.006 (about 4 mmHg/min at 160 mmHg).</value>
    public double LeakCoefficient { get; init; } = 0.006;

    /// <summary>Pump flow at zero back-pressure and full duty (air at atmospheric pressure).</summary>
    /// <value>1–2000 mL/s; default 150.</value>
    public double PumpFlowMlPerS { get; init; } = 150;

    /// <summary>Back-pressure at which the pump's flow falls to zero.</summary>
    /// <value>50–2000 mmHg; default 450.</value>
    public double PumpStallMmHg { get; init; } = 450;

    /// <summary>Pump spin-up/down time constant.</summary>
    /// <value>0–1 s; default 0.03.</value>
    public double PumpTimeConstantS { get; init; } = 0.03;

    /// <summary>Valve flow at full opening: flow = k·opening·√P. The default empties a thigh cuff from 160 to below 20 mmHg in well under 1 s.</summary>
    /// <value>0.1–500 mL/s per √mmHg; default 50.</value>
    public double ValveCoefficient { get; init; } = 50;

    /// <summary>Limb volume added under the cuff at the peak of a rep's concentric phase (leg press, thigh: +20–40% cuff pressure).</summary>
    /// <value>0–500 mL; default 49.</value>
    public double ContractionVolumeMl { get; init; } = 49;

    /// <summary>
    /// Muscle activity held through a set between the rep peaks (the muscle stays loaded on a leg
    /// press); the contraction volume rises from this share to 1 at each concentric peak.
    /// </summary>
    /// <value>0–1; default 0.7.</value>
    public double TonicActivityInSet { get; init; } = 0.7;

    /// <summary>Rep-to-rep variation of the contraction volume (sd, share of it).</summary>
    /// <value>0–0.5; default 0.1.</value>
    public double ContractionVariability { get; init; } = 0.1;

    /// <summary>Muscle swelling under the cuff per second of full muscle activity (fluid shift during a set).</summary>
    /// <value>0–10 mL/s; default 0.3.</value>
    public double SwellingMlPerActiveSecond { get; init; } = 0.3;

    /// <summary>Time constant with which swelling subsides.</summary>
    /// <value>1–3600 s; default 150.</value>
    public double SwellingDecayS { get; init; } = 150;

    /// <summary>Tissue under the cuff slowly yields to pressure (fluid pushed out): equilibrium volume lost per mmHg.</summary>
    /// <value>0–2 mL/mmHg; default 0.2.</value>
    public double TissueCreepMlPerMmHg { get; init; } = 0.2;

    /// <summary>Time constant of the tissue creep.</summary>
    /// <value>1–3600 s; default 35.</value>
    public double TissueCreepTimeConstantS { get; init; } = 35;

    /// <summary>Supine, at-rest motion artefact (limb volume noise, sd); posture and exercise multiply it.</summary>
    /// <value>0–20 mL; default 0.1 (≈ 0.1 mmHg supine, 0.45 mmHg standing on a thigh cuff at 150 mmHg).</value>
    public double MotionArtifactSdMl { get; init; } = 0.1;

    /// <summary>Pressure sensor noise (sd).</summary>
    /// <value>0–20 mmHg; default 0.3.</value>
    public double SensorNoiseSdMmHg { get; init; } = 0.3;

    /// <summary>Pressure sensor resolution (readings are whole multiples of it); 0 for none.</summary>
    /// <value>0–10 mmHg; default 0.1.</value>
    public double SensorQuantisationMmHg { get; init; } = 0.1;

    /// <summary>Pressure sensor sample rate.</summary>
    /// <value>10–1000 Hz, dividing <see cref="PhysicsRateHz"/>; default 100.</value>
    public int SensorRateHz { get; init; } = 100;

    /// <summary>Internal physics rate.</summary>
    /// <value>100–20000 Hz; default 1000.</value>
    public int PhysicsRateHz { get; init; } = 1000;

    /// <summary>Seed of every random source in the simulation; the same seed and inputs give the same output.</summary>
    public int Seed { get; init; }

    /// <summary>Local systolic pressure (diastolic + pulse pressure).</summary>
    public double SystolicMmHg => DiastolicMmHg + PulsePressureMmHg;

    /// <summary>Local mean arterial pressure (diastolic + pulse pressure / 3).</summary>
    public double MeanArterialMmHg => DiastolicMmHg + PulsePressureMmHg / 3;

    /// <summary>
    /// Mean leg LOP by position (Hughes et al. 2018, PeerJ 6:e4697: supine/seated/standing
    /// 187 / 204 / 242 mmHg): a sensible <see cref="TrueLopMmHg"/> when a test needs "a typical limb".
    /// </summary>
    public static double TypicalLegLopMmHg(BodyPosition position) => position switch
    {
        BodyPosition.Seated => 204, // Hughes et al. 2018, PeerJ 6:e4697
        BodyPosition.Standing => 242, // Hughes et al. 2018, PeerJ 6:e4697
        _ => 187, // Hughes et al. 2018, PeerJ 6:e4697
    };

    /// <summary>A thigh with an 11.5 cm cuff (the defaults).</summary>
    /// <exception cref="ArgumentOutOfRangeException">a value outside its range.</exception>
    public static SimulatedLimb Leg(double trueLopMmHg, BodyPosition position = BodyPosition.Supine, int seed = 0)
        => new SimulatedLimb { TrueLopMmHg = trueLopMmHg, Position = position, Seed = seed, LimbKind = LimbKind.Leg }.ThrowIfInvalid();

    /// <summary>An upper arm with a 5 cm cuff: smaller bladder, smaller contraction and pulse volumes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">a value outside its range.</exception>
    public static SimulatedLimb Arm(double trueLopMmHg, BodyPosition position = BodyPosition.Supine, int seed = 0)
        => new SimulatedLimb
        {
            TrueLopMmHg = trueLopMmHg,
            Position = position,
            Seed = seed,
            LimbKind = LimbKind.Arm,
            BladderSlackVolumeMl = 60,
            BladderComplianceMlPerMmHg = 1.2,
            ArterialPulseVolumeMl = 1.0,
            ContractionVolumeMl = 11,
            SwellingMlPerActiveSecond = 0.12,
            TissueCreepMlPerMmHg = 0.08,
            PumpFlowMlPerS = 70,
            ValveCoefficient = 20,
            MotionArtifactSdMl = 0.04,
            LeakCoefficient = 0.0024,
        }.ThrowIfInvalid();

    /// <summary>Every value outside its range, one message each ("HeartRateBpm must be 30–220 beats/min, was 400").</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        void Check(double value, double min, double max, string unit, string name)
        {
            if (!double.IsFinite(value) || value < min || value > max)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{name} must be {min}–{max}{(unit.Length > 0 ? " " + unit : "")}, was {value}"));
            }
        }
        Check(TrueLopMmHg, 50, 400, "mmHg", nameof(TrueLopMmHg));
        if (!Enum.IsDefined(LimbKind)) errors.Add($"{nameof(LimbKind)} must be one of {string.Join(", ", Enum.GetNames<LimbKind>())}, was {LimbKind}");
        if (!Enum.IsDefined(Position)) errors.Add($"{nameof(Position)} must be one of {string.Join(", ", Enum.GetNames<BodyPosition>())}, was {Position}");
        Check(HeartRateBpm, 30, 220, "beats/min", nameof(HeartRateBpm));
        Check(HeartRateVariability, 0, 0.2, "", nameof(HeartRateVariability));
        Check(DiastolicMmHg, 30, 140, "mmHg", nameof(DiastolicMmHg));
        Check(PulsePressureMmHg, 10, 120, "mmHg", nameof(PulsePressureMmHg));
        Check(PulsePressureVariability, 0, 0.3, "", nameof(PulsePressureVariability));
        Check(ArterialPulseVolumeMl, 0, 20, "mL", nameof(ArterialPulseVolumeMl));
        Check(BladderSlackVolumeMl, 10, 2000, "mL", nameof(BladderSlackVolumeMl));
        Check(BladderComplianceMlPerMmHg, 0.05, 50, "mL/mmHg", nameof(BladderComplianceMlPerMmHg));
        Check(BladderStiffeningMmHg, 5, 500, "mmHg", nameof(BladderStiffeningMmHg));
        Check(LeakCoefficient, 0, 5, "mL/s per √mmHg", nameof(LeakCoefficient));
        Check(PumpFlowMlPerS, 1, 2000, "mL/s", nameof(PumpFlowMlPerS));
        Check(PumpStallMmHg, 50, 2000, "mmHg", nameof(PumpStallMmHg));
        Check(PumpTimeConstantS, 0, 1, "s", nameof(PumpTimeConstantS));
        Check(ValveCoefficient, 0.1, 500, "mL/s per √mmHg", nameof(ValveCoefficient));
        Check(ContractionVolumeMl, 0, 500, "mL", nameof(ContractionVolumeMl));
        Check(TonicActivityInSet, 0, 1, "", nameof(TonicActivityInSet));
        Check(ContractionVariability, 0, 0.5, "", nameof(ContractionVariability));
        Check(SwellingMlPerActiveSecond, 0, 10, "mL/s", nameof(SwellingMlPerActiveSecond));
        Check(SwellingDecayS, 1, 3600, "s", nameof(SwellingDecayS));
        Check(TissueCreepMlPerMmHg, 0, 2, "mL/mmHg", nameof(TissueCreepMlPerMmHg));
        Check(TissueCreepTimeConstantS, 1, 3600, "s", nameof(TissueCreepTimeConstantS));
        Check(MotionArtifactSdMl, 0, 20, "mL", nameof(MotionArtifactSdMl));
        Check(SensorNoiseSdMmHg, 0, 20, "mmHg", nameof(SensorNoiseSdMmHg));
        Check(SensorQuantisationMmHg, 0, 10, "mmHg", nameof(SensorQuantisationMmHg));
        Check(PhysicsRateHz, 100, 20000, "Hz", nameof(PhysicsRateHz));
        Check(SensorRateHz, 10, 1000, "Hz", nameof(SensorRateHz));
        if (PhysicsRateHz >= 100 && TimeSpan.TicksPerSecond % PhysicsRateHz != 0)
        {
            errors.Add($"{nameof(PhysicsRateHz)} must divide 10,000,000 (whole 100 ns ticks per step), was {PhysicsRateHz}");
        }
        if (SensorRateHz >= 10 && PhysicsRateHz >= 100 && (SensorRateHz > PhysicsRateHz || PhysicsRateHz % SensorRateHz != 0))
        {
            errors.Add($"{nameof(SensorRateHz)} must divide {nameof(PhysicsRateHz)} ({PhysicsRateHz} Hz), was {SensorRateHz}");
        }
        return errors;
    }

    /// <summary>Returns this record when it is valid.</summary>
    /// <exception cref="ArgumentOutOfRangeException">one or more values outside their ranges (all are listed).</exception>
    public SimulatedLimb ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentOutOfRangeException(nameof(SimulatedLimb), "invalid simulated limb: " + string.Join("; ", errors));
        }
        return this;
    }
}
