using System.Globalization;
using OpenBfr.Formats.Import;

namespace OpenBfr.Formats.Fit;

/// <summary>
/// Decodes FIT files: to every message (<see cref="Decode"/>) or straight to a run summary
/// (<see cref="DecodeActivity(ReadOnlySpan{byte}, string)"/>), which reads the session, lap
/// and record messages without materialising them.
/// </summary>
public static class FitDecoder
{
    /// <summary>
    /// Most data messages <see cref="Decode"/> builds objects for: 1 000 000. The longest activity an import
    /// takes is 7 days (<see cref="ActivityLimits.MaxDurationSeconds"/>), 604 800 records at one a second;
    /// laps, events and device messages add a few per cent. A message costs about 80 bytes of objects
    /// whatever its size in the file (1 000 000 empty ones: 81 MB), so 26 MB of 1-byte messages took 5.9 GB before this limit.
    /// </summary>
    public const int MaxDecodedMessages = 1_000_000;

    /// <summary>
    /// Most field values (array elements counted one by one) <see cref="Decode"/> builds objects for:
    /// 10 000 000, 16 for each of the 604 800 records of a 7-day activity at one a second (a Garmin
    /// record carries 8 to 16 fields). A value costs about 100 bytes of objects (field, array, box),
    /// so 26 MB of messages of 255 one-byte fields took 3.3 GB before this limit; at it, 1.05 GB.
    /// </summary>
    public const int MaxDecodedValues = 10_000_000;

    /// <summary>
    /// Most session messages <see cref="DecodeActivity(ReadOnlySpan{byte}, string)"/> takes: 65 534, as many as
    /// activity.num_sessions (a uint16, 0xFFFF meaning none) can count. A multisport file has a few.
    /// </summary>
    public const int MaxSessions = 65_534;

    /// <summary>Decodes every data message of a FIT file.</summary>
    /// <exception cref="MalformedFileException">anything wrong with the file.</exception>
    /// <exception cref="FitDecodeLimitException">more than <see cref="MaxDecodedMessages"/> data messages or <see cref="MaxDecodedValues"/> field values.</exception>
    public static FitFile Decode(ReadOnlySpan<byte> file, string fileName)
    {
        // Counted in a first walk that keeps nothing (a few per cent of the decode's time), so a file over
        // the limits is refused before anything is built, not after a gigabyte is.
        FitReader.Read(file, fileName, new DecodeBudget(fileName));
        var collector = new Collector();
        var (header, reader) = FitReader.Read(file, fileName, collector);
        return new FitFile(fileName, header, collector.Messages,
            [.. reader.DeveloperDataIds], [.. reader.DeveloperFieldDescriptions]);
    }

    /// <summary>Reads a FIT activity file from disk and summarises it.</summary>
    /// <exception cref="MalformedFileException">not a valid FIT activity file.</exception>
    /// <exception cref="ActivityFileRefusedException">not a regular file, or larger than <see cref="ActivityLimits.MaxFileBytes"/>.</exception>
    /// <exception cref="IOException">the file cannot be read.</exception>
    public static RunActivity DecodeActivity(string path) => DecodeActivity(ActivityFile.ReadAllBytes(path), Path.GetFileName(path));

    /// <summary>Summarises a FIT activity file: start, sport, distance, elapsed and timer time, heart rate, laps.</summary>
    /// <exception cref="MalformedFileException">not a valid FIT file, not an activity, or no session and no records.</exception>
    public static RunActivity DecodeActivity(ReadOnlySpan<byte> file, string fileName)
    {
        var summary = new ActivitySummarizer(fileName);
        FitReader.Read(file, fileName, summary);
        return summary.Build(file.Length);
    }

    private sealed class DecodeBudget(string fileName) : IFitMessageHandler
    {
        private long _messages;
        private long _values;

        public void OnMessage(in FitMessageView message)
        {
            if (++_messages > MaxDecodedMessages)
            {
                throw new FitDecodeLimitException(fileName, "data messages", MaxDecodedMessages, message.Offset);
            }
            _values += message.Definition.ValueCount;
            if (_values > MaxDecodedValues)
            {
                throw new FitDecodeLimitException(fileName, "field values", MaxDecodedValues, message.Offset);
            }
        }
    }

    private sealed class Collector : IFitMessageHandler
    {
        public List<FitMessage> Messages { get; } = [];

        public void OnMessage(in FitMessageView message) => Messages.Add(message.ToMessage());
    }

    private sealed record SessionData(uint? StartTime, uint? Timestamp, byte? Sport, double? Elapsed, double? Timer, double? Distance,
        int? AvgHr, int? MaxHr, double? Ascent, long Offset);

    private sealed class ActivitySummarizer(string fileName) : IFitMessageHandler
    {
        private readonly List<SessionData> _sessions = [];
        private readonly List<SessionData> _laps = [];
        private long? _fileType;
        private long _fileIdOffset;
        private double? _activityTimer;
        private long _activityOffset;
        private int _records;
        private int _positions;
        private uint? _firstRecordTime;
        private uint? _lastRecordTime;
        private double _maxDistance = -1;
        private long _hrSum;
        private int _hrCount;
        private int _hrMax;
        private int _lastLat, _lastLong;
        private bool _hasLast;
        private double _trackDistance;

        public void OnMessage(in FitMessageView m)
        {
            switch (m.GlobalNumber)
            {
                case FitMessageNumber.Record:
                    OnRecord(m);
                    break;
                case FitMessageNumber.FileId:
                    if (m.TryGetInteger(FitFieldNumber.FileId.Type, out var type))
                    {
                        _fileType = type;
                        _fileIdOffset = m.Offset;
                    }
                    break;
                case FitMessageNumber.Session:
                    Limit(_sessions, MaxSessions, "session", "activity.num_sessions", m.Offset);
                    _sessions.Add(ReadSummary(m, FitFieldNumber.Session.Sport, FitFieldNumber.Session.AvgHeartRate, FitFieldNumber.Session.MaxHeartRate, FitFieldNumber.Session.TotalAscent));
                    break;
                case FitMessageNumber.Lap:
                    Limit(_laps, ActivityLimits.MaxLaps, "lap", "session.num_laps", m.Offset);
                    _laps.Add(ReadSummary(m, FitFieldNumber.Lap.Sport, FitFieldNumber.Lap.AvgHeartRate, FitFieldNumber.Lap.MaxHeartRate, FitFieldNumber.Lap.TotalAscent));
                    break;
                case FitMessageNumber.Activity:
                    if (m.TryGetScaled(FitFieldNumber.Activity.TotalTimerTime, 1000, 0, out var timer))
                    {
                        _activityTimer = timer;
                        _activityOffset = m.Offset;
                    }
                    break;
            }
        }

        /// <summary>Refuses the message that would pass <paramref name="limit"/>, before it is kept.</summary>
        private void Limit(List<SessionData> list, int limit, string message, string counter, long offset)
        {
            if (list.Count >= limit)
            {
                throw MalformedFileException.AtByte(fileName, "FIT", offset, string.Create(CultureInfo.InvariantCulture,
                    $"{message} message number {limit + 1:N0}: an activity may have at most {limit:N0} {message}s, as many as {counter} (a uint16) can count"));
            }
        }

        private void OnRecord(in FitMessageView m)
        {
            _records++;
            if (m.Timestamp is { } t)
            {
                _firstRecordTime ??= t;
                _lastRecordTime = t;
            }
            if (m.TryGetScaled(FitFieldNumber.Record.Distance, 100, 0, out var distance) && distance > _maxDistance)
            {
                _maxDistance = distance;
            }
            if (m.TryGetInteger(FitFieldNumber.Record.HeartRate, out var hr))
            {
                _hrSum += hr;
                _hrCount++;
                _hrMax = Math.Max(_hrMax, (int)hr);
            }
            if (m.TryGetInteger(FitFieldNumber.Record.PositionLat, out var lat) && m.TryGetInteger(FitFieldNumber.Record.PositionLong, out var lon))
            {
                _positions++;
                // The track's haversine length is only a fallback for files whose records carry no
                // distance; skipping it otherwise keeps the import path fast.
                if (_hasLast && _maxDistance < 0)
                {
                    _trackDistance += Geo.HaversineMeters(Geo.SemicirclesToDegrees(_lastLat), Geo.SemicirclesToDegrees(_lastLong),
                        Geo.SemicirclesToDegrees((int)lat), Geo.SemicirclesToDegrees((int)lon));
                }
                (_lastLat, _lastLong, _hasLast) = ((int)lat, (int)lon, true);
            }
        }

        private static SessionData ReadSummary(in FitMessageView m, byte sport, byte avgHr, byte maxHr, byte ascent)
        {
            // start_time, total_elapsed_time, total_timer_time and total_distance share field numbers 2, 7, 8, 9 in lap and session.
            return new SessionData(
                m.TryGetInteger(FitFieldNumber.Session.StartTime, out var start) ? (uint)start : null,
                m.Timestamp,
                m.TryGetInteger(sport, out var s) ? (byte)s : null,
                m.TryGetScaled(FitFieldNumber.Session.TotalElapsedTime, 1000, 0, out var elapsed) ? elapsed : null,
                m.TryGetScaled(FitFieldNumber.Session.TotalTimerTime, 1000, 0, out var timer) ? timer : null,
                m.TryGetScaled(FitFieldNumber.Session.TotalDistance, 100, 0, out var distance) ? distance : null,
                m.TryGetInteger(avgHr, out var a) ? (int)a : null,
                m.TryGetInteger(maxHr, out var x) ? (int)x : null,
                m.TryGetInteger(ascent, out var asc) ? asc : null,
                m.Offset);
        }

        public RunActivity Build(int fileLength)
        {
            MalformedFileException Problem(long offset, string text) => MalformedFileException.AtByte(fileName, "FIT", offset, text);

            if (_fileType is { } type && type != FitEnum.FileActivity)
            {
                throw Problem(_fileIdOffset, $"file_id.type is {type}{(type == FitEnum.FileWorkout ? " (workout)" : "")}, expected {FitEnum.FileActivity} (activity)");
            }
            if (_sessions.Count == 0 && _records == 0)
            {
                throw new MalformedFileException(fileName, "FIT", null, $"no session and no record messages in {fileLength} bytes: not an activity");
            }
            // Every value is checked before it is summed or becomes a TimeSpan (NaN or 1e300 s would throw there).
            foreach (var (message, list) in new[] { ("session", _sessions), ("lap", _laps) })
            {
                foreach (var s in list)
                {
                    if (SummaryProblem(message, s) is { } problem)
                    {
                        throw Problem(s.Offset, problem);
                    }
                }
            }
            if (_activityTimer is { } activityTimer
                && ActivityLimits.RangeProblem("activity.total_timer_time", activityTimer, 0, ActivityLimits.MaxDurationSeconds, "s") is { } timerProblem)
            {
                throw Problem(_activityOffset, timerProblem);
            }
            double RecordSpan(uint first, uint last) => last >= first ? last - first
                : throw new MalformedFileException(fileName, "FIT", null, $"the last record's timestamp {last} is before the first record's {first}, so the records give no elapsed time");

            uint start;
            double elapsed, timer, distance;
            int? avgHr, maxHr;
            double? ascent = null;
            ActivitySport sport;
            if (_sessions.Count > 0)
            {
                var first = _sessions[0];
                start = first.StartTime ?? _firstRecordTime
                    ?? (first.Timestamp is { } ts && first.Elapsed is { } el && el <= ts ? ts - (uint)Math.Round(el) : throw Problem(first.Offset, "session has no start_time, and there are no timestamped records to take it from"));
                elapsed = _sessions.Sum(s => s.Elapsed ?? Span(s.StartTime, s.Timestamp) ?? 0);
                if (elapsed == 0 && _firstRecordTime is { } f && _lastRecordTime is { } l)
                {
                    elapsed = RecordSpan(f, l);
                }
                timer = _sessions.All(s => s.Timer is not null) ? _sessions.Sum(s => s.Timer!.Value) : _activityTimer ?? elapsed;
                distance = _sessions.All(s => s.Distance is not null) ? _sessions.Sum(s => s.Distance!.Value) : RecordDistance();
                var withHr = _sessions.Where(s => s.AvgHr is not null).ToList();
                var hrWeight = withHr.Sum(s => s.Timer ?? 1);
                avgHr = withHr.Count switch
                {
                    0 => RecordAverageHr(),
                    1 => withHr[0].AvgHr,
                    _ when hrWeight > 0 => (int)Math.Round(withHr.Sum(s => s.AvgHr!.Value * (s.Timer ?? 1)) / hrWeight),
                    _ => (int)Math.Round(withHr.Average(s => s.AvgHr!.Value)), // every session's timer is 0
                };
                maxHr = _sessions.Max(s => s.MaxHr) ?? (_hrCount > 0 ? _hrMax : null);
                if (_sessions.Any(s => s.Ascent is not null))
                {
                    ascent = _sessions.Sum(s => s.Ascent ?? 0);
                }
                var sports = _sessions.Select(s => s.Sport).Distinct().ToList();
                sport = sports.Count == 1 ? MapSport(sports[0]) : ActivitySport.Multisport;
            }
            else
            {
                if (_firstRecordTime is not { } first || _lastRecordTime is not { } last)
                {
                    throw new MalformedFileException(fileName, "FIT", null, $"{_records} record messages but none has a timestamp, and there is no session");
                }
                start = first;
                elapsed = RecordSpan(first, last);
                timer = _activityTimer ?? elapsed;
                distance = RecordDistance();
                avgHr = RecordAverageHr();
                maxHr = _hrCount > 0 ? _hrMax : null;
                sport = ActivitySport.Other;
            }

            if (start < FitTime.MinAbsolute)
            {
                throw new MalformedFileException(fileName, "FIT", null, $"start time {start} is seconds since device power-up (below 0x{FitTime.MinAbsolute:X8}), not a date");
            }
            if (ActivityLimits.TotalsProblem(distance, elapsed, timer, avgHr, maxHr, ascent) is { } totalsProblem)
            {
                throw new MalformedFileException(fileName, "FIT", null, "totals out of range: " + totalsProblem);
            }

            var laps = _laps.Select(l => new ActivityLap(
                FitTime.ToDateTimeOffset(l.StartTime ?? l.Timestamp ?? start),
                l.Distance ?? 0,
                TimeSpan.FromSeconds(l.Elapsed ?? Span(l.StartTime, l.Timestamp) ?? 0),
                TimeSpan.FromSeconds(l.Timer ?? l.Elapsed ?? 0),
                l.AvgHr, l.MaxHr)).ToList();

            return new RunActivity(fileName, ActivityFileFormat.Fit, FitTime.ToDateTimeOffset(start), sport, distance,
                TimeSpan.FromSeconds(elapsed), TimeSpan.FromSeconds(timer), avgHr, maxHr, ascent, laps, _records, _positions);
        }

        /// <summary>The first value of a session or lap outside its range, named by its FIT profile field; null when all are in range.</summary>
        private static string? SummaryProblem(string message, SessionData s)
        {
            static string? Range(string what, double? value, double min, double max, string unit)
                => value is { } v ? ActivityLimits.RangeProblem(what, v, min, max, unit) : null;

            return (s.StartTime is { } start && start < FitTime.MinAbsolute
                    ? $"{message}.start_time {start} is seconds since device power-up (below 0x{FitTime.MinAbsolute:X8}), not a date" : null)
                ?? Range(message + ".total_elapsed_time", s.Elapsed, 0, ActivityLimits.MaxDurationSeconds, "s")
                ?? Range(message + ".total_timer_time", s.Timer, 0, ActivityLimits.MaxDurationSeconds, "s")
                ?? Range(message + ".total_distance", s.Distance, 0, ActivityLimits.MaxDistanceMeters, "m")
                ?? Range(message + ".avg_heart_rate", s.AvgHr, ActivityLimits.MinHeartRate, ActivityLimits.MaxHeartRate, "bpm")
                ?? Range(message + ".max_heart_rate", s.MaxHr, ActivityLimits.MinHeartRate, ActivityLimits.MaxHeartRate, "bpm")
                ?? Range(message + ".total_ascent", s.Ascent, 0, ActivityLimits.MaxDistanceMeters, "m");
        }

        private static double? Span(uint? start, uint? end) => start is { } s && end is { } e && e >= s ? e - s : null;

        private double RecordDistance() => _maxDistance >= 0 ? _maxDistance : _trackDistance;

        private int? RecordAverageHr() => _hrCount > 0 ? (int)Math.Round((double)_hrSum / _hrCount) : null;

        private static ActivitySport MapSport(byte? sport) => sport switch
        {
            FitEnum.SportRunning => ActivitySport.Running,
            FitEnum.SportWalking => ActivitySport.Walking,
            FitEnum.SportHiking => ActivitySport.Hiking,
            FitEnum.SportCycling => ActivitySport.Cycling,
            FitEnum.SportSwimming => ActivitySport.Swimming,
            FitEnum.SportTraining => ActivitySport.Training,
            _ => ActivitySport.Other,
        };
    }
}
