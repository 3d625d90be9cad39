using Microsoft.AspNetCore.Mvc;
using OpenBfr.Web.Athletes;
using OpenBfr.Web.Dashboard;
using OpenBfr.Web.Hosting;

namespace OpenBfr.Web.Pages;

public sealed class ClinicianModel(DashboardService dashboard, AthleteDirectory directory) : OpenBfrPageModel
{
    public List<DashboardRow> Rows { get; private set; } = [];

    public async Task OnGetAsync() => Rows = await dashboard.RowsAsync(Me);

    public async Task<IActionResult> OnPostAddAsync(string? displayName, int? birthYear, string? sex, string? injury)
    {
        try
        {
            RefuseUnboundFields();
            var athlete = await directory.CreateAsync(Me, new NewAthlete(displayName, birthYear, sex, injury));
            return Redirect($"/Athletes/{athlete.Id}");
        }
        catch (InputException e)
        {
            AddError(e);
            Rows = await dashboard.RowsAsync(Me);
            return Page();
        }
    }
}
