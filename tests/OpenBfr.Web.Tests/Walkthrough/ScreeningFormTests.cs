using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpenBfr.Core.Screening;

namespace OpenBfr.Web.Tests.Walkthrough;

/// <summary>
/// The screening questionnaire: a refused post comes back with every answer as given (it came back
/// with every answer reset to "no", so fixing the age and saving again stored a DVT history as no),
/// and each yes/no pair is a radio group named by its question for a screen reader.
/// </summary>
public sealed class ScreeningFormTests(StrengthWorld world) : IClassFixture<StrengthWorld>
{
    [Fact]
    public async Task Screening_RefusedAge_KeepsEveryYesTheLimbsAndTheBloodPressure()
    {
        var id = await world.NewAthleteAsync();
        var page = $"/Athletes/{id}/Screening";
        var items = Questionnaire.Default.YesNoItems;
        var general = items.First(i => !i.IsLimbSpecific);
        var limbItem = items.First(i => i.IsLimbSpecific);
        var form = new List<KeyValuePair<string, string>>
        {
            new("__RequestVerificationToken", await WebAppFactory.AntiforgeryTokenAsync(world.Clinician, page)),
            new("ageYears", "5"), new("systolicMmHg", "132"), new("diastolicMmHg", "84"),
        };
        form.AddRange(items.Select(i => new KeyValuePair<string, string>($"q-{i.Id}", i == general || i == limbItem ? "yes" : "no")));
        form.Add(new($"q-{limbItem.Id}-left-arm", "on"));

        using var response = await world.Clinician.PostAsync(page, new FormUrlEncodedContent(form));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, "refused, not saved");
        var html = await response.Content.ReadAsStringAsync();
        WebUtility.HtmlDecode(html).ShouldContain("ageYears");
        var shown = FormHtml.ById(html, "screening-form");
        shown.Value("ageYears").ShouldBe("5");
        shown.Value("systolicMmHg").ShouldBe("132");
        shown.Value("diastolicMmHg").ShouldBe("84");
        foreach (var item in items)
        {
            shown.Ticked($"q-{item.Id}").ShouldBe([item == general || item == limbItem ? "yes" : "no"], item.Id);
        }
        Regex.IsMatch(html, $"<input type=\"checkbox\" name=\"q-{limbItem.Id}-left-arm\" checked=\"checked\" />").ShouldBeTrue("the limb ticked stays ticked");
        Regex.IsMatch(html, $"<input type=\"checkbox\" name=\"q-{limbItem.Id}-right-arm\" />").ShouldBeTrue("the limbs not ticked stay unticked");
    }

    [Fact]
    public async Task Screening_NoWithLimbsTicked_RefusedNamingTheQuestionWhatWasGivenAndWhatIsAllowed_KeepsTheAnswers()
    {
        var id = await world.NewAthleteAsync();
        var page = $"/Athletes/{id}/Screening";
        var items = Questionnaire.Default.YesNoItems;
        var limbItem = items.First(i => i.IsLimbSpecific);
        var form = new List<KeyValuePair<string, string>>
        {
            new("__RequestVerificationToken", await WebAppFactory.AntiforgeryTokenAsync(world.Clinician, page)),
            new("ageYears", "41"), new("systolicMmHg", "124"), new("diastolicMmHg", "80"),
        };
        // "no" for the limb question, with two limbs ticked: it was saved as a finding on those limbs.
        form.AddRange(items.Select(i => new KeyValuePair<string, string>($"q-{i.Id}", "no")));
        form.Add(new($"q-{limbItem.Id}-left-leg", "on"));
        form.Add(new($"q-{limbItem.Id}-right-arm", "on"));

        using var response = await world.Clinician.PostAsync(page, new FormUrlEncodedContent(form));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, "refused, not saved");
        var html = await response.Content.ReadAsStringAsync();
        Regex.Match(WebUtility.HtmlDecode(html), "<div class=\"errors[^\"]*\"[^>]*>(.*?)</div>", RegexOptions.Singleline).Groups[1].Value.ShouldContain(
            $"q-{limbItem.Id} ({limbItem.Finding}) was answered 'no' with limbs ticked (right-arm, left-leg): answer yes for a finding on those limbs only, or no with no limb ticked");
        var shown = FormHtml.ById(html, "screening-form");
        shown.Value("ageYears").ShouldBe("41");
        shown.Ticked($"q-{limbItem.Id}").ShouldBe(["no"]);
        Regex.IsMatch(html, $"<input type=\"checkbox\" name=\"q-{limbItem.Id}-left-leg\" checked=\"checked\" />").ShouldBeTrue("the limbs ticked stay ticked");
        Regex.IsMatch(html, $"<input type=\"checkbox\" name=\"q-{limbItem.Id}-right-arm\" checked=\"checked\" />").ShouldBeTrue();
        (await world.Clinician.GetAsync($"/api/v1/athletes/{id}/screening")).StatusCode.ShouldBe(HttpStatusCode.NoContent, "nothing was saved");

        // A yes with limbs ticked is the way to say "these limbs only": saved, the finding on those limbs alone.
        form = form.Select(f => f.Key == $"q-{limbItem.Id}" ? new KeyValuePair<string, string>(f.Key, "yes") : f).ToList();
        using var saved = await world.Clinician.PostAsync(page, new FormUrlEncodedContent(form));
        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect, await saved.Content.ReadAsStringAsync());
        var limbs = (await world.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/athletes/{id}/screening")).GetProperty("limbs");
        limbs.GetProperty("left-leg").GetProperty("reasons").GetArrayLength().ShouldBeGreaterThan(0);
        limbs.GetProperty("right-arm").GetProperty("reasons").GetArrayLength().ShouldBeGreaterThan(0);
        limbs.GetProperty("right-leg").GetProperty("reasons").GetArrayLength().ShouldBe(0);
        limbs.GetProperty("left-arm").GetProperty("reasons").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Screening_EachQuestion_IsTheNameOfItsRadioGroup()
    {
        var id = await world.NewAthleteAsync();
        var html = await world.Clinician.GetStringAsync($"/Athletes/{id}/Screening");

        foreach (var item in Questionnaire.Default.YesNoItems)
        {
            var question = Regex.Match(html, $"<span id=\"q-{Regex.Escape(item.Id)}-question\">([^<]*)</span>");
            question.Success.ShouldBeTrue(item.Id);
            WebUtility.HtmlDecode(question.Groups[1].Value).ShouldBe(item.Question);
            html.ShouldContain($"<td role=\"radiogroup\" aria-labelledby=\"q-{item.Id}-question\">");
        }
    }
}
