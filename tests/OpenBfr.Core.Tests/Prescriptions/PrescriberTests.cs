using OpenBfr.Core.Limbs;
using OpenBfr.Core.Lop;
using OpenBfr.Core.Prescriptions;
using OpenBfr.Core.Protocols;
using OpenBfr.Core.Units;

namespace OpenBfr.Core.Tests.Prescriptions;

public class PrescriberTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private static LimbOcclusionPressure Lop(double mmHg, Limb limb = Limb.LeftLeg, LopMethod method = LopMethod.Doppler,
        BodyPosition position = BodyPosition.Standing, double ageDays = 0)
        => new(Pressure.FromMmHg(mmHg), limb, position,
            limb.IsLeg() ? CuffDescription.StandardLeg : CuffDescription.StandardArm, method, Now.AddDays(-ageDays),
            method == LopMethod.Estimated ? Pressure.FromMmHg(15.3) : null);

    [Fact]
    public void Prescribe_LowerLimbResistance_DefaultIs70PercentWithin50To80()
    {
        var p = Prescriber.Prescribe(new PrescriptionRequest(Lop(200), Limb.LeftLeg, Modality.Resistance, BodyPosition.Standing, Now));
        p.Low.MmHg.ShouldBe(100);
        p.High.MmHg.ShouldBe(160);
        p.Target.MmHg.ShouldBe(140);
        p.Protocol.Name.ShouldBe("strength-lower");
        p.Conservative.ShouldBeFalse();
    }

    [Fact]
    public void Prescribe_UpperLimbAbove40Percent_Throws()
    {
        var ex = Should.Throw<ArgumentOutOfRangeException>(() => Prescriber.Prescribe(
            new PrescriptionRequest(Lop(170, Limb.RightArm), Limb.RightArm, Modality.Resistance, BodyPosition.Standing, Now, Percent: 50)));
        ex.Message.ShouldContain("percent must be 20–40");
    }

    [Fact]
    public void Prescribe_LegAbove80Percent_Throws()
        => Should.Throw<ArgumentOutOfRangeException>(() => Prescriber.Prescribe(
            new PrescriptionRequest(Lop(200), Limb.LeftLeg, Modality.Resistance, BodyPosition.Standing, Now, Percent: 90)))
            .Message.ShouldContain("was 90");

    [Fact]
    public void Prescribe_EstimatedLop_UsesLowEndOfEstimateAndRange()
    {
        var p = Prescriber.Prescribe(new PrescriptionRequest(Lop(200, method: LopMethod.Estimated), Limb.LeftLeg, Modality.Resistance, BodyPosition.Standing, Now, Percent: 80));
        p.Conservative.ShouldBeTrue();
        p.ReferenceLop.MmHg.ShouldBe(184.7, 1e-9);
        p.TargetPercent.ShouldBe(50);
        p.Target.MmHg.ShouldBe(92); // 50% of 184.7, rounded
    }

    [Fact]
    public void Prescribe_AutomaticLopWithUncertainty_UsesItsLowEndButTheDefaultPercent()
    {
        var lop = new LimbOcclusionPressure(Pressure.FromMmHg(200), Limb.LeftLeg, BodyPosition.Standing, CuffDescription.StandardLeg,
            LopMethod.Automatic, Now, Pressure.FromMmHg(8));
        var p = Prescriber.Prescribe(new PrescriptionRequest(lop, Limb.LeftLeg, Modality.Resistance, BodyPosition.Standing, Now));
        p.ReferenceLop.MmHg.ShouldBe(192);
        p.Target.MmHg.ShouldBe(134); // 70% of 192 = 134.4, rounded
        p.Conservative.ShouldBeFalse();
        p.Notes.ShouldContain(n => n.Contains("low end") && n.Contains("± 8"));
    }

    [Fact]
    public void Prescribe_AutomaticLopWithoutUncertainty_UsesTheValue()
        => Prescriber.Prescribe(new PrescriptionRequest(Lop(200, method: LopMethod.Automatic), Limb.LeftLeg, Modality.Resistance, BodyPosition.Standing, Now))
            .Target.MmHg.ShouldBe(140);

    [Fact]
    public void Prescribe_NeedsClearance_UsesLowEnd()
        => Prescriber.Prescribe(new PrescriptionRequest(Lop(200), Limb.LeftLeg, Modality.Aerobic, BodyPosition.Standing, Now, NeedsClearance: true))
            .Target.MmHg.ShouldBe(100);

    [Fact]
    public void Prescribe_LopFromOtherPosition_Refuses()
        => Should.Throw<LopNotUsableException>(() => Prescriber.Prescribe(
            new PrescriptionRequest(Lop(200, position: BodyPosition.Supine), Limb.LeftLeg, Modality.Resistance, BodyPosition.Standing, Now)));

    [Fact]
    public void Prescribe_LopOlderThanValidity_Refuses()
        => Should.Throw<LopNotUsableException>(() => Prescriber.Prescribe(
            new PrescriptionRequest(Lop(200, ageDays: 8), Limb.LeftLeg, Modality.Resistance, BodyPosition.Standing, Now)));

    [Fact]
    public void Prescribe_EveryModalityAndLimb_StaysBelowHardLimits()
    {
        foreach (var modality in Enum.GetValues<Modality>())
        foreach (var limb in LimbExtensions.All)
        foreach (var lopMmHg in new double[] { 50, 120, 200, 300, 400 })
        {
            var kind = limb.Kind();
            if (modality != Modality.Passive && modality != Modality.Resistance && kind == LimbKind.Arm) continue;
            var range = PressureRange.For(modality, kind);
            foreach (var percent in new[] { range.LowPercent, range.DefaultPercent, range.HighPercent })
            {
                var position = ProtocolCatalog.For(modality, kind).UsualPosition;
                var p = Prescriber.Prescribe(new PrescriptionRequest(Lop(lopMmHg, limb, position: position), limb, modality, position, Now, percent));
                p.High.PercentOf(p.Lop.Value).ShouldBeLessThanOrEqualTo(80.0 + 0.5 * 100 / lopMmHg);
                p.High.ShouldBeLessThanOrEqualTo(Pressure.MaxCuff);
                p.Protocol.MaxContinuousInflation.ShouldBeLessThanOrEqualTo(TimeSpan.FromMinutes(20));
            }
        }
    }

    [Theory]
    [InlineData(Modality.Aerobic)]
    [InlineData(Modality.WalkIntervals)]
    [InlineData(Modality.Cycling)]
    [InlineData(Modality.SprintRecovery)]
    public void Prescribe_LegOnlyModalityOnArm_RefusesNamingLimb(Modality modality)
    {
        var ex = Should.Throw<ArgumentException>(() => Prescriber.Prescribe(
            new PrescriptionRequest(Lop(170, Limb.LeftArm), Limb.LeftArm, modality, BodyPosition.Standing, Now)));
        ex.ParamName.ShouldBe("limb");
        ex.Message.ShouldContain("cuffs on the legs");
    }

    [Fact]
    public void Prescribe_PassiveOnArm_UsesThePassiveProtocol()
        => Prescriber.Prescribe(new PrescriptionRequest(Lop(170, Limb.LeftArm, position: BodyPosition.Seated), Limb.LeftArm, Modality.Passive, BodyPosition.Seated, Now))
            .Protocol.Name.ShouldBe("passive");

    /// <summary>Every protocol in every position: the ones it is done in prescribe, the others are refused (a LOP is valid only in its own position).</summary>
    public static TheoryData<string, BodyPosition> ProtocolsByPosition()
    {
        var data = new TheoryData<string, BodyPosition>();
        foreach (var p in ProtocolCatalog.All)
        foreach (var position in Enum.GetValues<BodyPosition>())
        {
            data.Add(p.Name, position);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ProtocolsByPosition))]
    public void Prescribe_EveryProtocolInEveryPosition_OnlyItsOwnPositionsSetAPressure(string name, BodyPosition position)
    {
        ProtocolCatalog.TryGet(name, out var protocol).ShouldBeTrue();
        var limb = protocol.LimbKind == LimbKind.Arm ? Limb.LeftArm : Limb.LeftLeg;
        var request = new PrescriptionRequest(Lop(200, limb, position: position), limb, protocol.Modality, position, Now, Protocol: protocol);
        // As the catalog declares them (Hughes et al. 2018: a LOP sets pressures only in its own position).
        var allowed = name switch
        {
            "passive" => new[] { BodyPosition.Supine, BodyPosition.Seated },
            "strength-upper" => [BodyPosition.Standing, BodyPosition.Seated],
            "aerobic-cycle" or "cycling" => [BodyPosition.Seated],
            _ => [BodyPosition.Standing],
        };
        if (allowed.Contains(position))
        {
            Prescriber.Prescribe(request).Protocol.Name.ShouldBe(name);
            return;
        }
        var ex = Should.Throw<ArgumentException>(() => Prescriber.Prescribe(request));
        ex.ParamName.ShouldBe("position");
        var at = position.ToString().ToLowerInvariant();
        ex.Message.ShouldStartWith($"{name} is done {protocol.PositionsText}; this LOP was measured {at}");
        ex.Message.ShouldContain(Sources.Hughes2018);
        foreach (var p in allowed) ex.Message.ShouldContain(p.ToString().ToLowerInvariant());
    }

    [Fact]
    public void Prescribe_PassiveFromAStandingLop_RefusedNamingWhatToDo()
    {
        // 80% of a mean standing leg LOP (242) is 194 mmHg, above the mean supine LOP (187; Hughes et al. 2018): full occlusion lying down.
        var ex = Should.Throw<ArgumentException>(() => Prescriber.Prescribe(
            new PrescriptionRequest(Lop(242, position: BodyPosition.Standing), Limb.LeftLeg, Modality.Passive, BodyPosition.Standing, Now, Percent: 80)));
        ex.ParamName.ShouldBe("position");
        ex.Message.ShouldStartWith($"passive is done supine or seated; this LOP was measured standing, and a LOP is valid only in the position it was measured in ({Sources.Hughes2018}): " +
            "measure a supine or seated LOP, or choose a protocol done standing (strength-lower, aerobic-walk, walk-intervals, sprint-recovery)");
    }

    [Fact]
    public void Prescribe_ACustomProtocolIsCheckedByItsOwnPositions()
    {
        var seatedOnly = new Protocol("seated-calf", "Seated calf raise", Modality.Resistance, LimbKind.Leg, [BodyPosition.Seated],
            [new ProtocolExercise("seated-calf-raise", "Seated calf raise", ProtocolCatalog.ThirtyFifteenFifteenFifteen)], ProtocolCatalog.DeflationBetweenExercises, "load", "freq", ["src"]);
        Prescriber.Prescribe(new PrescriptionRequest(Lop(204, position: BodyPosition.Seated), Limb.LeftLeg, Modality.Resistance, BodyPosition.Seated, Now, Protocol: seatedOnly))
            .Protocol.Name.ShouldBe("seated-calf");
        Should.Throw<ArgumentException>(() => Prescriber.Prescribe(
            new PrescriptionRequest(Lop(242), Limb.LeftLeg, Modality.Resistance, BodyPosition.Standing, Now, Protocol: seatedOnly))).ParamName.ShouldBe("position");
    }
}
