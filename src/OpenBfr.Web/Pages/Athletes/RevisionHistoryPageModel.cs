using OpenBfr.Data.Athletes;
using OpenBfr.Web.Athletes;
using OpenBfr.Web.Hosting;
using OpenBfr.Web.Revisions;

namespace OpenBfr.Web.Pages.Athletes;

/// <summary>A page showing every version of one record of an athlete's: the athlete and the record's history, each a 404 when not there.</summary>
public abstract class RevisionHistoryPageModel<T>(AthleteDirectory directory) : OpenBfrPageModel
{
    public Athlete Athlete { get; private set; } = new();

    public RevisionHistoryDto<T> History { get; private set; } = null!;

    /// <summary>
    /// Opens the athlete for <paramref name="action"/> (a refusal audited as for any read), then
    /// reads the record's history; false when the viewer may not see the athlete or the record is unknown.
    /// </summary>
    protected async Task<bool> OpenHistoryAsync(Guid id, string action, Func<Task<RevisionHistoryDto<T>?>> read)
    {
        if (await directory.OpenIfVisibleAsync(Me, id, action) is not { } opened)
        {
            return false;
        }
        Athlete = opened;
        if (await read() is not { } history)
        {
            return false;
        }
        History = history;
        return true;
    }
}
