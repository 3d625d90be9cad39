namespace OpenBfr.Core.Time;

/// <summary>
/// A clock that moves only when told: virtual time for simulations and tests, so a 30-minute
/// session runs in milliseconds and nothing waits on the wall clock. (The testing package that
/// ships a fake TimeProvider does not restore here.) Not thread-safe for concurrent advances.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private DateTimeOffset _now;

    /// <summary>Starts at <paramref name="start"/> (default 2026-01-01T00:00Z).</summary>
    public ManualTimeProvider(DateTimeOffset? start = null)
        => _now = start ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _now.UtcTicks;

    /// <summary>Moves time forward.</summary>
    /// <exception cref="ArgumentOutOfRangeException">a negative step.</exception>
    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(by), by, "time cannot move backwards");
        }
        _now += by;
    }

    /// <summary>Timers would fire on the wall clock; code driven by this clock is stepped instead.</summary>
    /// <exception cref="NotSupportedException">always.</exception>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        => throw new NotSupportedException("ManualTimeProvider has no timers: step the code under test instead");
}
