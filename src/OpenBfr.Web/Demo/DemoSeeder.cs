using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenBfr.Core.Limbs;
using OpenBfr.Core.Screening;
using OpenBfr.Data;
using OpenBfr.Data.Activities;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Athletes;
using OpenBfr.Web.Lop;
using OpenBfr.Web.Prescriptions;
using OpenBfr.Web.Screening;
using OpenBfr.Web.Strength;

namespace OpenBfr.Web.Demo;

/// <summary>
/// Seeds an example clinician and two athletes so a newcomer can explore at once: a healthy
/// runner in a marathon build with imported runs, and an injured runner. Runs once: a second
/// start finds the clinician and does nothing.
/// </summary>
public sealed class DemoSeeder(UserManager<OpenBfrUser> users, AthleteDirectory directory, LopService lops, ScreeningService screening,
    PrescriptionService prescriptions, StrengthService strength, IDbContextFactory<OpenBfrDbContext> contexts, TimeProvider time, ILogger<DemoSeeder> logger)
{
    public const string ClinicianEmail = "clinician@demo.openbfr.org";
    public const string AdminEmail = "admin@demo.openbfr.org";
    public const string AthleteEmail = "runner@demo.openbfr.org";

    /// <summary>The demo accounts' password, printed at start so a newcomer can sign in.</summary>
    public const string Password = "demo-password-1";

    public async Task SeedAsync(CancellationToken ct = default)
    {
        if (await users.FindByEmailAsync(ClinicianEmail) is not null)
        {
            return;
        }
        await CreateUserAsync(AdminEmail, "Demo Admin", Roles.Admin);
        var clinicianUser = await CreateUserAsync(ClinicianEmail, "Dr Demo Clinician", Roles.Clinician);
        var athleteUser = await CreateUserAsync(AthleteEmail, "Maya Marathon", Roles.Athlete);
        var clinician = new Viewer(clinicianUser.Id, false, true, false);
        var athleteViewer = new Viewer(athleteUser.Id, false, false, true);

        var now = time.GetUtcNow();
        var maya = await directory.CreateForAccountAsync(athleteUser.Id, new NewAthlete("Maya Marathon", now.Year - 34, "female", null), ct);
        await directory.LinkClinicianAsync(athleteViewer, maya.Id, clinicianUser.Id, ct);
        var tom = await directory.CreateAsync(clinician, new NewAthlete("Tom Tendon", now.Year - 41, "male", "Achilles tendinopathy, right, 3 weeks"), ct);

        // Both answered no to every item, so the core's screener finds every limb eligible; the
        // answers are stored readably, as the screening page stores them.
        foreach (var (athlete, age) in new[] { (maya, 34), (tom, 41) })
        {
            var answers = new ScreeningAnswers(age, 118, 76, Questionnaire.Default.YesNoItems.ToDictionary(i => i.Id, _ => ItemAnswer.No));
            var result = Screener.Evaluate(answers, today: DateOnly.FromDateTime(now.UtcDateTime));
            await screening.SaveAsync(clinician, athlete.Id, ScreeningAnswerText.Write(answers),
                result.Limbs.ToDictionary(l => l.Limb, l => new LimbOutcome(l.Eligibility.ToString(), l.ReasonIds)), ct);
        }

        // A LOP sets pressures only for a protocol done in its position (Hughes et al. 2018): Maya's
        // strength circuit is done standing, so her LOP is standing (near the 242 mmHg mean); Tom
        // cycles seated with his Achilles (near the 204 mmHg seated mean).
        foreach (var (athlete, limb, position, lop, modality, protocol) in new[]
        {
            (maya, "left-leg", "standing", 236.0, "resistance", "strength-lower"), (maya, "right-leg", "standing", 242.0, "resistance", "strength-lower"),
            (tom, "left-leg", "seated", 221.0, "aerobic", "aerobic-cycle"), (tom, "right-leg", "seated", 216.0, "aerobic", "aerobic-cycle"),
        })
        {
            var r = await lops.RecordAsync(clinician, athlete, new RecordLopRequest(limb, position, 11.5, lop, now.AddDays(-2), "demo: Doppler"), ct);
            await prescriptions.CreateAsync(clinician, athlete, new CreatePrescriptionRequest(r.Id, modality, SessionsPerWeek: 2, Protocol: protocol), ct);
        }

        // Tom's rehab tests every two weeks: the right (involved) calf catches up with the left, so
        // the limb symmetry index rises 65% → 85% (calf raise, single-leg hop and 6 m timed hop) and pain falls.
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        foreach (var (daysAgo, lsi, pain) in new[] { (42, 0.65, 3), (28, 0.75, 2), (14, 0.80, 1), (1, 0.85, 1) })
        {
            var on = today.AddDays(-daysAgo);
            await strength.RecordAsync(clinician, tom, new RecordStrengthTestRequest("calf-raise",
                [new StrengthResultInput("right-leg", true, 40 * lsi, 8), new StrengthResultInput("left-leg", false, 40, 8)], on, pain, Note: "demo"), ct);
            await strength.RecordAsync(clinician, tom, new RecordStrengthTestRequest("single-leg-hop",
                [new StrengthResultInput("right-leg", true, HopDistanceCm: 150 * lsi), new StrengthResultInput("left-leg", false, HopDistanceCm: 150)], on, pain, Note: "demo"), ct);
            // Timed hop LSI = uninvolved / involved time (Noyes et al. 1991); 1.9 s on the healthy side (Logerstedt et al. 2010: about 1.8–1.9 s).
            await strength.RecordAsync(clinician, tom, new RecordStrengthTestRequest("timed-hop",
                [new StrengthResultInput("right-leg", true, HopTimeSeconds: Math.Round(1.9 / lsi, 2)), new StrengthResultInput("left-leg", false, HopTimeSeconds: 1.9)], on, pain, Note: "demo"), ct);
        }

        // Maya's marathon build: 8 weeks of runs, 5 a week, rising volume with a long run on Sunday.
        await using var db = await contexts.CreateDbContextAsync(ct);
        var monday = now.Date.AddDays(-(((int)now.DayOfWeek + 6) % 7) - 7 * 8);
        for (var week = 0; week < 8; week++)
        {
            foreach (var (day, km, pace) in new[] { (0, 8.0, 330.0), (1, 10.0, 300.0), (3, 12.0, 315.0), (4, 6.0, 345.0), (6, 18.0 + 2 * week, 335.0) })
            {
                var distance = (km + week * 0.8) * 1000;
                var started = new DateTimeOffset(monday.AddDays(week * 7 + day).AddHours(6.5), TimeSpan.Zero);
                db.Activities.Add(new ActivityRecord
                {
                    Id = Guid.NewGuid(), AthleteId = maya.Id, StartedAt = started, Sport = "running", DistanceMeters = distance,
                    DurationSeconds = distance / 1000 * pace, AverageHeartRate = 140 + day, Rpe = day == 6 ? 6 : 4, SourceFormat = "demo",
                    SourceFileName = $"demo-run-w{week}-d{day}.fit", ContentSha256 = $"demo-{maya.Id:N}-{week}-{day}", ImportedAt = now,
                });
            }
        }
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Demo data seeded: sign in as {Clinician} (or {Athlete}, {Admin}) with password {Password}", ClinicianEmail, AthleteEmail, AdminEmail, Password);
        Console.WriteLine($"Demo: sign in as {ClinicianEmail} (clinician), {AthleteEmail} (athlete) or {AdminEmail} (admin), password {Password}");
    }

    private async Task<OpenBfrUser> CreateUserAsync(string email, string name, string role)
    {
        var user = new OpenBfrUser { UserName = email, Email = email, DisplayName = name, EmailConfirmed = true };
        var result = await users.CreateAsync(user, Password);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("demo account: " + string.Join("; ", result.Errors.Select(e => e.Description)));
        }
        await users.AddToRoleAsync(user, role);
        return user;
    }
}
