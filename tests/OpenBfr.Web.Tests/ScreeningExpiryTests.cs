using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenBfr.Core.Limbs;
using OpenBfr.Core.Screening;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Screening;

namespace OpenBfr.Web.Tests;

/// <summary>
/// A screening and a clinician's clearance count 12 months (PAR-Q+: "valid for a maximum of 12 months from the
/// date it is completed"), judged against the app's clock: the test sets it (only the date is faked; timers stay
/// the system's, so the app's background polls keep running).
/// </summary>
public sealed class ScreeningExpiryTests : IDisposable
{
    /// <summary>The app's clock: now is what the test says.</summary>
    private sealed class SetClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private readonly SetClock _clock = new(At(2025, 3, 1));
    private readonly WebAppFactory _app;

    public ScreeningExpiryTests() => _app = new WebAppFactory(services: s => s.AddSingleton<TimeProvider>(_clock));

    public void Dispose() => _app.Dispose();

    private static DateTimeOffset At(int y, int m, int d) => new(y, m, d, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The clinician's client, signed in anew on the app's today (a sign-in cookie does not outlive a jump of months).</summary>
    private Task<HttpClient> ClinicianOnAsync(int y, int m, int d)
    {
        _clock.Now = At(y, m, d);
        return _app.SignedInAsync("pt@t.org");
    }

    private async Task<(HttpClient Client, Guid AthleteId)> AthleteAsync()
    {
        await _app.CreateUserAsync("admin@t.org", Roles.Admin);
        var clinician = await _app.CreateUserAsync("pt@t.org", Roles.Clinician);
        var client = await _app.SignedInAsync("pt@t.org");
        using var created = await client.PostAsJsonAsync("/api/v1/athletes", new { displayName = "Exp Runner", birthYear = 1980, sex = "female" });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        return (client, (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
    }

    /// <summary>A screening stored on the app's today, as the screening page stores it; diabetes (NeedsClearance, every limb) when <paramref name="diabetes"/>.</summary>
    private async Task ScreenAsync(Guid athleteId, bool diabetes)
    {
        var answers = Questionnaire.Default.YesNoItems.ToDictionary(i => i.Id, i => diabetes && i.Id == "diabetes" ? ItemAnswer.YesAnswer : ItemAnswer.No);
        var given = new ScreeningAnswers(45, 124, 80, answers);
        var result = Screener.Evaluate(given, today: DateOnly.FromDateTime(_clock.Now.UtcDateTime));
        var user = await _app.Services.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<OpenBfrUser>>().FindByEmailAsync("pt@t.org");
        await _app.Services.GetRequiredService<ScreeningService>().SaveAsync(new Viewer(user!.Id, false, true, false), athleteId, ScreeningAnswerText.Write(given),
            result.Limbs.ToDictionary(l => l.Limb, l => new LimbOutcome(l.Eligibility.ToString(), l.ReasonIds)));
    }

    /// <summary>Records a LOP on the left leg today and asks for a prescription from it.</summary>
    private static async Task<HttpResponseMessage> PrescribeAsync(HttpClient client, Guid athleteId)
    {
        using var lop = await client.PostAsJsonAsync($"/api/v1/athletes/{athleteId}/lop", new { limb = "left-leg", position = "standing", cuffWidthCm = 11.5, lopMmHg = 200 });
        lop.StatusCode.ShouldBe(HttpStatusCode.Created, await lop.Content.ReadAsStringAsync());
        var lopId = (await lop.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        return await client.PostAsJsonAsync($"/api/v1/athletes/{athleteId}/prescriptions", new { lopId, modality = "resistance" });
    }

    private static async Task<string> ScreeningErrorAsync(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("screening")[0].GetString()!;
    }

    private Task<ScreeningGate> GateAsync(Guid athleteId) => _app.Services.GetRequiredService<ScreeningService>().GateAsync(athleteId, Limb.LeftLeg);

    private const string ClearanceExpired =
        "clearance of diabetes by pt on 2025-01-10 expired on 2026-01-10 (valid 12 months: PAR-Q+): a clinician must clear it again";

    [Fact]
    public async Task Clearance_TwelveMonthsOld_NeedsClearingAgain_SessionRefusedNamingTheDates_NewClearanceAllowsAgain()
    {
        var (client, id) = await AthleteAsync();
        await ScreenAsync(id, diabetes: true); // screened 2025-03-01: valid until 2026-03-01
        // The clinician's letter of 10 January, recorded on 1 March.
        using (var cleared = await client.PostAsJsonAsync($"/api/v1/athletes/{id}/screening/clearances", new { itemId = "diabetes", note = "HbA1c 6.1%", clearedOn = "2025-01-10" }))
        {
            cleared.StatusCode.ShouldBe(HttpStatusCode.Created, await cleared.Content.ReadAsStringAsync());
            var dto = await cleared.Content.ReadFromJsonAsync<JsonElement>();
            dto.GetProperty("expiresOn").GetString().ShouldBe("2026-01-10");
            dto.GetProperty("expired").GetBoolean().ShouldBeFalse();
        }

        // The day before expiry: cleared, conservative, a session may start.
        client = await ClinicianOnAsync(2026, 1, 9);
        (await GateAsync(id)).ShouldBe(new ScreeningGate(null, true, true));
        using (var rx = await PrescribeAsync(client, id))
        {
            rx.StatusCode.ShouldBe(HttpStatusCode.Created, await rx.Content.ReadAsStringAsync());
        }

        // The expiry day: diabetes needs clearance again on every limb, and the session refusal says why.
        client = await ClinicianOnAsync(2026, 1, 10);
        var gate = await GateAsync(id);
        gate.Cleared.ShouldBeFalse();
        gate.SessionRefusal.ShouldBe(ClearanceExpired);
        var screening = await client.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/screening");
        screening.GetProperty("overall").GetString().ShouldBe("NeedsClearance");
        screening.GetProperty("expired").GetBoolean().ShouldBeFalse();
        screening.GetProperty("expiresOn").GetString().ShouldBe("2026-03-01");
        screening.GetProperty("expiryNotices").EnumerateArray().Select(n => n.GetString()).ShouldBe([ClearanceExpired]);
        var clearance = screening.GetProperty("clearances").EnumerateArray().Single();
        clearance.GetProperty("expired").GetBoolean().ShouldBeTrue();
        clearance.GetProperty("expiresOn").GetString().ShouldBe("2026-01-10");
        screening.GetProperty("pending").EnumerateArray().Single().GetProperty("itemId").GetString().ShouldBe("diabetes");

        // A prescription (conservative, as for any finding awaiting clearance) cannot be run: the session is refused naming the expiry.
        using (var rx = await PrescribeAsync(client, id))
        {
            rx.StatusCode.ShouldBe(HttpStatusCode.Created, await rx.Content.ReadAsStringAsync());
            var rxId = (await rx.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            using var start = await client.PostAsJsonAsync($"/api/v1/athletes/{id}/sessions", new { prescriptionIds = new[] { rxId } });
            (await ScreeningErrorAsync(start)).ShouldBe(ClearanceExpired);
        }

        // A clinician clears it again: the limb is cleared and the notice is gone.
        using (var again = await client.PostAsJsonAsync($"/api/v1/athletes/{id}/screening/clearances", new { itemId = "diabetes", note = "HbA1c 6.0%, reviewed again" }))
        {
            again.StatusCode.ShouldBe(HttpStatusCode.Created, await again.Content.ReadAsStringAsync());
        }
        (await GateAsync(id)).ShouldBe(new ScreeningGate(null, true, true));
        screening = await client.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/screening");
        screening.GetProperty("overall").GetString().ShouldBe("Eligible");
        screening.GetProperty("expiryNotices").GetArrayLength().ShouldBe(0);
        screening.GetProperty("clearances").EnumerateArray().Select(c => c.GetProperty("expired").GetBoolean()).ShouldBe([true, false]);
    }

    [Fact]
    public async Task Screening_TwelveMonthsOld_PrescriptionRefusedNamingTheDates_NewScreeningAllowsAgain()
    {
        var (client, id) = await AthleteAsync();
        await ScreenAsync(id, diabetes: false); // 2025-03-01, every limb eligible

        client = await ClinicianOnAsync(2026, 2, 28); // the day before expiry
        (await GateAsync(id)).Refusal.ShouldBeNull();
        using (var rx = await PrescribeAsync(client, id))
        {
            rx.StatusCode.ShouldBe(HttpStatusCode.Created, await rx.Content.ReadAsStringAsync());
        }

        client = await ClinicianOnAsync(2026, 3, 1); // the expiry day
        const string expired = "the screening of 2025-03-01 expired on 2026-03-01 (valid 12 months: PAR-Q+): screen again before BFR is prescribed or run";
        (await GateAsync(id)).Refusal.ShouldBe(expired);
        using (var rx = await PrescribeAsync(client, id))
        {
            (await ScreeningErrorAsync(rx)).ShouldBe(expired);
        }
        var screening = await client.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/screening");
        screening.GetProperty("expired").GetBoolean().ShouldBeTrue();
        screening.GetProperty("expiresOn").GetString().ShouldBe("2026-03-01");
        screening.GetProperty("expiryNotices").EnumerateArray().Select(n => n.GetString()).ShouldBe([expired]);
        var flags = (await client.GetFromJsonAsync<JsonElement>("/api/v1/dashboard")).EnumerateArray()
            .Single(r => r.GetProperty("athleteId").GetGuid() == id).GetProperty("flags").EnumerateArray().Select(f => f.GetString()).ToList();
        flags.ShouldContain("screening expired");
        var page = await client.GetStringAsync($"/Athletes/{id}");
        page.ShouldContain("expired on 2026-03-01");

        // Screened again: the gate opens, valid for another 12 months.
        await ScreenAsync(id, diabetes: false);
        (await GateAsync(id)).Refusal.ShouldBeNull();
        using (var rx = await PrescribeAsync(client, id))
        {
            rx.StatusCode.ShouldBe(HttpStatusCode.Created, await rx.Content.ReadAsStringAsync());
        }
        screening = await client.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/screening");
        screening.GetProperty("expired").GetBoolean().ShouldBeFalse();
        screening.GetProperty("expiresOn").GetString().ShouldBe("2027-03-01");
    }

    /// <summary>A one-note clearance from before per-item clearance (the screening row's ClearedAt) expires like any other.</summary>
    [Theory]
    [InlineData(2026, 1, 9, "Eligible", false)]
    [InlineData(2026, 1, 10, "NeedsClearance", true)]
    public void Evaluate_LegacyOneNoteClearance_ExpiresTwelveMonthsAfterItsDay(int y, int m, int d, string outcome, bool expired)
    {
        var answers = Questionnaire.Default.YesNoItems.ToDictionary(i => i.Id, i => i.Id == "diabetes" ? ItemAnswer.YesAnswer : ItemAnswer.No);
        var record = new OpenBfr.Data.Screening.ScreeningRecord
        {
            Id = Guid.NewGuid(), AthleteId = Guid.NewGuid(), TakenAt = At(2025, 3, 1), Overall = "NeedsClearance", RecordedByUserId = "u",
            AnswersJson = JsonSerializer.Serialize(ScreeningAnswerText.Write(new ScreeningAnswers(45, 124, 80, answers))),
            ClearedAt = At(2025, 1, 10), ClearedByUserId = "u", ClearanceNote = "cleared by letter",
        };
        var current = ScreeningService.Evaluate(record, [], new DateOnly(y, m, d));
        current.Limbs["left-leg"].Outcome.ShouldBe(outcome);
        current.Clearances.Single().Expired.ShouldBe(expired);
        current.Expired.ShouldBeFalse();
    }

    [Fact]
    public async Task ExpiredScreening_CannotBeCleared_AndAClearanceOlderThanTwelveMonthsIsRefused()
    {
        var (client, id) = await AthleteAsync();
        await ScreenAsync(id, diabetes: true);
        using (var old = await client.PostAsJsonAsync($"/api/v1/athletes/{id}/screening/clearances", new { itemId = "diabetes", note = "old letter", clearedOn = "2024-03-01" }))
        {
            old.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await old.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("clearedOn")[0].GetString()
                .ShouldBe("clearedOn 2024-03-01 expired on 2025-03-01 (valid 12 months: PAR-Q+): a clearance must be from the last 12 months");
        }

        client = await ClinicianOnAsync(2026, 3, 2);
        using var late = await client.PostAsJsonAsync($"/api/v1/athletes/{id}/screening/clearances", new { itemId = "diabetes", note = "HbA1c fine" });
        late.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await late.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("screening")[0].GetString()!
            .ShouldStartWith("the screening of 2025-03-01 expired on 2026-03-01");
    }
}
