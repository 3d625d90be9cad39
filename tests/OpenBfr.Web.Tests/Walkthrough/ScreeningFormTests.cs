using System.Net;
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
