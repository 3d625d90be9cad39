using System.Globalization;
using OpenBfr.Core.Limbs;
using OpenBfr.Core.Lop;
using OpenBfr.Core.Units;

namespace OpenBfr.Core.Planning.Profile;

/// <summary>Turns a <see cref="RunnerProfileDocument"/> into a validated <see cref="RunnerProfile"/>, reporting every bad field at once.</summary>
public static class RunnerProfileParser
{
    /// <summary>The injury names accepted in a profile, for error messages.</summary>
    public const string InjuryNames = "runners-knee, shin-splints, it-band-syndrome, achilles-tendinopathy, plantar-fasciitis, meniscus-repair, acl-reconstruction, achilles-rupture, stress-fracture";

    private const string DayNames = "mon, tue, wed, thu, fri, sat, sun (or full names)";

    /// <summary>Parses and validates.</summary>
    /// <exception cref="ProfileInvalidException">any field is missing or invalid; every problem is listed.</exception>
    public static RunnerProfile Parse(RunnerProfileDocument document)
    {
        Guard.NotNull(document);
        var errors = new List<ProfileError>();
        var age = RequiredInt(document.Age, "age", "14–99 years", errors);
        var sex = Required<Sex>(document.Sex, "sex", "male or female", errors, TryParseSex);
        var weeklyKm = RequiredDouble(document.WeeklyKm, "weeklyKm", "0–300 km", errors);
        var available = Days(document.AvailableDays, "availableDays", errors);
        if (document.AvailableDays is null) errors.Add(new("availableDays", "(missing)", "a list of 1–7 weekdays: " + DayNames));
        var keyDays = Days(document.KeyWorkoutDays, "keyWorkoutDays", errors);
        DayOfWeek? longRun = document.LongRunDay is null ? null : Required<DayOfWeek>(document.LongRunDay, "longRunDay", DayNames, errors, TryParseDay);

        GoalRace? goal = null;
        if (document.Goal is { } g)
        {
            var distance = Required<RaceDistance>(g.Distance, "goal.distance", "5k, 10k, half, marathon or ultra", errors, TryParseDistance);
            var date = Required<DateOnly>(g.Date, "goal.date", "a date yyyy-MM-dd", errors, TryParseDate);
            goal = new GoalRace(distance, date, string.IsNullOrWhiteSpace(g.Name) ? null : g.Name.Trim());
        }

        Injury? injury = null;
        if (document.Injury is { } inj)
        {
            var kind = Required<InjuryKind>(inj.Kind, "injury.kind", InjuryNames, errors, TryParseInjury);
            var date = Required<DateOnly>(inj.Date, "injury.date", "a date yyyy-MM-dd (onset or operation)", errors, TryParseDate);
            var side = Required<Side>(inj.Side, "injury.side", "left, right or both", errors, TryParseSide);
            injury = new Injury(kind, date, side);
        }

        var cuffs = new List<CuffDescription>();
        foreach (var (c, i) in (document.Cuffs ?? []).Select((c, i) => (c, i)))
        {
            var kind = Required<LimbKind>(c.Limb, $"cuffs[{i}].limb", "arm or leg", errors, TryParseLimbKind);
            var width = RequiredDouble(c.WidthCm, $"cuffs[{i}].widthCm", "2–30 cm", errors);
            if (width is >= CuffDescription.MinWidthCm and <= CuffDescription.MaxWidthCm) cuffs.Add(new CuffDescription(width, kind));
            else if (double.IsFinite(width) && !double.IsNaN(width)) errors.Add(new($"cuffs[{i}].widthCm", Guard.Format(width), "2–30 cm"));
        }

        var lops = new List<LimbOcclusionPressure>();
        foreach (var (l, i) in (document.Lops ?? []).Select((l, i) => (l, i)))
        {
            var field = $"lops[{i}]";
            var before = errors.Count;
            var limb = Required<Limb>(l.Limb, field + ".limb", "left-leg, right-leg, left-arm or right-arm", errors, LimbExtensions.TryParseLimb);
            var mmHg = RequiredDouble(l.MmHg, field + ".mmHg", "50–400 mmHg", errors);
            var position = Required<BodyPosition>(l.Position, field + ".position", "supine, seated or standing", errors, TryParseEnum<BodyPosition>);
            var method = Required<LopMethod>(l.Method, field + ".method", "doppler, automatic or estimated", errors, TryParseEnum<LopMethod>);
            var measured = Required<DateOnly>(l.Measured, field + ".measured", "a date yyyy-MM-dd", errors, TryParseDate);
            double? uncertainty = l.UncertaintyMmHg is null ? null : RequiredDouble(l.UncertaintyMmHg, field + ".uncertaintyMmHg", "0–100 mmHg", errors);
            double? width = l.CuffWidthCm is null ? null : RequiredDouble(l.CuffWidthCm, field + ".cuffWidthCm", "2–30 cm", errors);
            if (errors.Count > before) continue;
            if (mmHg is < 50 or > 400) { errors.Add(new(field + ".mmHg", Guard.Format(mmHg), "50–400 mmHg")); continue; }
            if (uncertainty is { } u && u is < 0 or > 100) { errors.Add(new(field + ".uncertaintyMmHg", Guard.Format(u), "0–100 mmHg")); continue; }
            if (method == LopMethod.Estimated && uncertainty is null or 0) { errors.Add(new(field + ".uncertaintyMmHg", "(missing)", "the estimate's ± uncertainty, 1–100 mmHg (an estimated LOP must carry it)")); continue; }
            var cuff = width is { } w
                ? (w is >= CuffDescription.MinWidthCm and <= CuffDescription.MaxWidthCm ? new CuffDescription(w, limb.Kind()) : null)
                : cuffs.FirstOrDefault(c => c.LimbKind == limb.Kind());
            if (cuff is null)
            {
                errors.Add(new(field + ".cuffWidthCm", width is { } bad ? Guard.Format(bad) : "(missing)",
                    $"2–30 cm, or a {limb.Kind().ToString().ToLowerInvariant()} cuff listed under cuffs"));
                continue;
            }
            lops.Add(new LimbOcclusionPressure(Pressure.FromMmHg(mmHg), limb, position, cuff, method,
                new DateTimeOffset(measured.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
                uncertainty is { } un ? Pressure.FromMmHg(un) : null));
        }

        var tests = new List<RehabTest>();
        foreach (var (t, i) in (document.Tests ?? []).Select((t, i) => (t, i)))
        {
            var date = Required<DateOnly>(t.Date, $"tests[{i}].date", "a date yyyy-MM-dd", errors, TryParseDate);
            int? pain = t.Pain is null ? null : RequiredInt(t.Pain, $"tests[{i}].pain", "0–10", errors);
            double? lsi = t.StrengthLsi is null ? null : RequiredDouble(t.StrengthLsi, $"tests[{i}].strengthLsi", "0–200 %", errors);
            double? hop = t.HopLsi is null ? null : RequiredDouble(t.HopLsi, $"tests[{i}].hopLsi", "0–200 %", errors);
            bool? clearance = t.Clearance is null ? null : Required<bool>(t.Clearance, $"tests[{i}].clearance", "true or false", errors, bool.TryParse);
            tests.Add(new RehabTest(date, pain, lsi, clearance, hop));
        }

        var maxes = new List<OneRepMax>();
        foreach (var (r, i) in (document.OneRepMax ?? []).Select((r, i) => (r, i)))
        {
            var kg = RequiredDouble(r.Kg, $"oneRepMax[{i}].kg", "1–500 kg", errors);
            maxes.Add(new OneRepMax(r.Exercise?.Trim() ?? "", kg));
        }

        int? maxHr = document.MaxHeartRate is null ? null : RequiredInt(document.MaxHeartRate, "maxHeartRate", "100–230 bpm", errors);

        var profile = new RunnerProfile
        {
            Name = string.IsNullOrWhiteSpace(document.Name) ? null : document.Name.Trim(),
            AgeYears = age,
            Sex = sex,
            WeeklyKm = weeklyKm,
            Goal = goal,
            AvailableDays = available,
            KeyWorkoutDays = keyDays,
            LongRunDay = longRun,
            Injury = injury,
            Cuffs = cuffs,
            Lops = lops,
            Tests = tests,
            OneRepMaxes = maxes,
            MaxHeartRate = maxHr,
        };
        // Values that failed to parse are already reported; skip the range checks that would repeat them.
        var failed = errors.Select(e => e.Field).ToHashSet(StringComparer.Ordinal);
        errors.AddRange(profile.Validate().Where(e => !failed.Contains(e.Field)
            && !(document.AvailableDays is null && e.Field == "availableDays")));
        if (errors.Count > 0) throw new ProfileInvalidException(errors);
        return profile;
    }

    private delegate bool TryParser<T>(string text, out T value);

    private static T Required<T>(string? text, string field, string allowed, List<ProfileError> errors, TryParser<T> parse)
        where T : struct
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(new(field, "(missing)", allowed));
            return default;
        }
        if (!parse(text.Trim(), out var value))
        {
            errors.Add(new(field, $"'{text}'", allowed));
            return default;
        }
        return value;
    }

    private static int RequiredInt(string? text, string field, string allowed, List<ProfileError> errors)
        => Required(text, field, allowed, errors, (string s, out int v) => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out v));

    private static double RequiredDouble(string? text, string field, string allowed, List<ProfileError> errors)
    {
        var before = errors.Count;
        var value = Required(text, field, allowed, errors,
            (string s, out double v) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out v) && double.IsFinite(v));
        return errors.Count > before ? double.NaN : value;
    }

    private static HashSet<DayOfWeek> Days(List<string>? texts, string field, List<ProfileError> errors)
    {
        var days = new HashSet<DayOfWeek>();
        foreach (var (text, i) in (texts ?? []).Select((t, i) => (t, i)))
        {
            if (!TryParseDay(text ?? "", out var day))
            {
                errors.Add(new($"{field}[{i}]", $"'{text}'", DayNames));
            }
            else if (!days.Add(day))
            {
                errors.Add(new($"{field}[{i}]", $"'{text}'", "each day once"));
            }
        }
        return days;
    }

    /// <summary>Parses "mon", "Monday", "MON".</summary>
    public static bool TryParseDay(string text, out DayOfWeek day)
    {
        day = default;
        var key = text.Trim().ToLowerInvariant();
        if (key.Length < 3) return false;
        foreach (var candidate in Enum.GetValues<DayOfWeek>())
        {
            var name = candidate.ToString().ToLowerInvariant();
            if (name == key || name[..3] == key)
            {
                day = candidate;
                return true;
            }
        }
        return false;
    }

    /// <summary>Parses "5k", "10k", "half", "half-marathon", "marathon", "ultra".</summary>
    public static bool TryParseDistance(string text, out RaceDistance distance)
    {
        distance = Normalize(text) switch
        {
            "5k" or "fivek" => RaceDistance.FiveK,
            "10k" or "tenk" => RaceDistance.TenK,
            "half" or "halfmarathon" => RaceDistance.HalfMarathon,
            "marathon" => RaceDistance.Marathon,
            "ultra" or "ultramarathon" => RaceDistance.Ultra,
            _ => (RaceDistance)(-1),
        };
        return Enum.IsDefined(distance);
    }

    /// <summary>Parses an injury by its kebab-case name ("achilles-tendinopathy") or enum name.</summary>
    public static bool TryParseInjury(string text, out InjuryKind kind) => TryParseEnum(text, out kind);

    /// <summary>The kebab-case name of an injury ("acl-reconstruction").</summary>
    public static string ToKebab(this InjuryKind kind) => kind switch
    {
        InjuryKind.RunnersKnee => "runners-knee",
        InjuryKind.ShinSplints => "shin-splints",
        InjuryKind.ItBandSyndrome => "it-band-syndrome",
        InjuryKind.AchillesTendinopathy => "achilles-tendinopathy",
        InjuryKind.PlantarFasciitis => "plantar-fasciitis",
        InjuryKind.MeniscusRepair => "meniscus-repair",
        InjuryKind.AclReconstruction => "acl-reconstruction",
        InjuryKind.AchillesRupture => "achilles-rupture",
        _ => "stress-fracture",
    };

    private static bool TryParseSex(string text, out Sex sex)
    {
        sex = Normalize(text) switch { "male" or "m" => Sex.Male, "female" or "f" => Sex.Female, _ => (Sex)(-1) };
        return Enum.IsDefined(sex);
    }

    private static bool TryParseSide(string text, out Side side) => TryParseEnum(text, out side);

    private static bool TryParseLimbKind(string text, out LimbKind kind) => TryParseEnum(text, out kind);

    private static bool TryParseDate(string text, out DateOnly date)
        => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    private static bool TryParseEnum<T>(string text, out T value) where T : struct, Enum
        => Enum.TryParse(Normalize(text), ignoreCase: true, out value) && Enum.IsDefined(value) && !int.TryParse(text, out _);

    private static string Normalize(string text)
        => text.Trim().ToLowerInvariant().Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal)
            .Replace(" ", "", StringComparison.Ordinal).Replace("'", "", StringComparison.Ordinal);
}
