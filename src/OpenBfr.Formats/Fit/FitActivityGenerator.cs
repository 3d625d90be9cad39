namespace OpenBfr.Formats.Fit;

/// <summary>How a generated activity file is laid out.</summary>
/// <param name="CompressedTimestamps">records use compressed-timestamp headers (a full timestamp every 30 s).</param>
/// <param name="BigEndianRecords">the record definition is big-endian.</param>
/// <param name="DeveloperField">records carry a developer field ("form_power", uint16, W) with its description.</param>
/// <param name="HeaderSize">12 or 14.</param>
public sealed record FitActivityLayout(bool CompressedTimestamps = false, bool BigEndianRecords = false, bool DeveloperField = false, int HeaderSize = 14);

/// <summary>What a generated run should decode to.</summary>
/// <param name="StartTime">UTC start.</param>
/// <param name="DistanceMeters">total distance as written in the session (0.01 m resolution).</param>
/// <param name="ElapsedSeconds">session total_elapsed_time.</param>
/// <param name="TimerSeconds">session total_timer_time (pauses excluded).</param>
/// <param name="AverageHeartRate">session avg_heart_rate.</param>
/// <param name="MaxHeartRate">session max_heart_rate.</param>
/// <param name="Laps">number of lap messages.</param>
/// <param name="Records">number of record messages.</param>
public sealed record GeneratedRunTruth(DateTimeOffset StartTime, double DistanceMeters, double ElapsedSeconds, double TimerSeconds,
    int AverageHeartRate, int MaxHeartRate, int Laps, int Records);

/// <summary>A generated FIT activity file and what it should decode to.</summary>
public sealed record GeneratedFitActivity(string FileName, byte[] Bytes, GeneratedRunTruth Truth);

/// <summary>
/// Generates realistic FIT running activities: 1 s records (timestamp, position, distance,
/// speed, altitude, heart rate, running dynamics), 1 km laps, an occasional pause, session and
/// activity summaries, as a watch writes them. Seeded and deterministic; used by the tests and
/// by the bench's year of runs.
/// </summary>
public sealed class FitActivityGenerator
{
    private const byte LocalFileId = 0, LocalRecord = 1, LocalLap = 2, LocalEvent = 3, LocalSession = 4, LocalActivity = 5,
        LocalDevId = 6, LocalFieldDesc = 7, LocalFileCreator = 8, LocalTimestampOnly = 9;

    private readonly Random _random;

    /// <summary>Creates a generator; the same seed gives the same files.</summary>
    public FitActivityGenerator(int seed) => _random = new Random(seed);

    /// <summary>
    /// A year of running: <paramref name="runsPerWeek"/> runs a week for 52 weeks from
    /// <paramref name="firstDay"/> (easy runs of 30–60 min, one long run of 75–120 min a week,
    /// every 4th week lighter).
    /// </summary>
    public IReadOnlyList<GeneratedFitActivity> Year(DateOnly firstDay, int runsPerWeek = 6, FitActivityLayout? layout = null)
    {
        if (runsPerWeek is < 1 or > 7)
        {
            throw new ArgumentOutOfRangeException(nameof(runsPerWeek), runsPerWeek, $"runsPerWeek must be 1–7, was {runsPerWeek}");
        }
        var runs = new List<GeneratedFitActivity>(52 * runsPerWeek);
        for (var week = 0; week < 52; week++)
        {
            var deload = week % 4 == 3;
            for (var i = 0; i < runsPerWeek; i++)
            {
                var day = firstDay.AddDays(week * 7 + i);
                var longRun = i == runsPerWeek - 1;
                var minutes = longRun ? 75 + _random.Next(46) : 30 + _random.Next(31);
                if (deload)
                {
                    minutes = minutes * 3 / 4;
                }
                var start = new DateTimeOffset(day.ToDateTime(new TimeOnly(6 + _random.Next(12), _random.Next(60))), TimeSpan.Zero);
                var pace = (longRun ? 345 : 320) + _random.Next(-20, 40); // s/km
                runs.Add(Run(start, TimeSpan.FromMinutes(minutes), pace, layout));
            }
        }
        return runs;
    }

    /// <summary>One run.</summary>
    /// <param name="start">UTC start.</param>
    /// <param name="duration">moving time, 1 min–10 h.</param>
    /// <param name="paceSecondsPerKm">average pace, 150–900 s/km.</param>
    /// <param name="layout">header kinds and options.</param>
    public GeneratedFitActivity Run(DateTimeOffset start, TimeSpan duration, double paceSecondsPerKm, FitActivityLayout? layout = null)
    {
        layout ??= new FitActivityLayout();
        if (duration < TimeSpan.FromMinutes(1) || duration > TimeSpan.FromHours(10))
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, $"duration must be 1 min–10 h, was {duration}");
        }
        if (paceSecondsPerKm is < 150 or > 900)
        {
            throw new ArgumentOutOfRangeException(nameof(paceSecondsPerKm), paceSecondsPerKm, $"paceSecondsPerKm must be 150–900 s/km, was {paceSecondsPerKm}");
        }
        var seconds = (int)duration.TotalSeconds;
        var t0 = FitTime.FromDateTimeOffset(start);
        var encoder = new FitEncoder(layout.HeaderSize, capacity: seconds * 40 + 4096);

        encoder.Define(LocalFileId, new FitMessageDefinition(FitMessageNumber.FileId,
        [
            new(FitFieldNumber.FileId.Type, FitBaseType.Enum),
            new(FitFieldNumber.FileId.Manufacturer, FitBaseType.UInt16),
            new(FitFieldNumber.FileId.Product, FitBaseType.UInt16),
            new(FitFieldNumber.FileId.SerialNumber, FitBaseType.UInt32z),
            new(FitFieldNumber.FileId.TimeCreated, FitBaseType.UInt32),
        ]));
        encoder.Write(LocalFileId, FitEnum.FileActivity, FitEnum.ManufacturerDevelopment, 1, 1_000_000 + _random.Next(1_000_000), t0);
        encoder.Define(LocalFileCreator, new FitMessageDefinition(FitMessageNumber.FileCreator, [new(FitFieldNumber.FileCreator.SoftwareVersion, FitBaseType.UInt16)]));
        encoder.Write(LocalFileCreator, 100);

        if (layout.DeveloperField)
        {
            encoder.WriteDeveloperDataId(LocalDevId, 0, [.. Enumerable.Range(1, 16).Select(i => (byte)i)], 1);
            encoder.WriteFieldDescription(LocalFieldDesc, new FitDeveloperFieldDescription(0, 0, FitBaseType.UInt16, "form_power", "W", 1, 0, null, null));
        }

        var eventDefinition = new FitMessageDefinition(FitMessageNumber.Event,
        [
            new(FitFieldNumber.Timestamp, FitBaseType.UInt32),
            new(FitFieldNumber.Event.EventKind, FitBaseType.Enum),
            new(FitFieldNumber.Event.EventType, FitBaseType.Enum),
            new(FitFieldNumber.Event.EventGroup, FitBaseType.UInt8),
        ]);
        encoder.Define(LocalEvent, eventDefinition);
        encoder.Write(LocalEvent, t0, FitEnum.EventTimer, FitEnum.EventTypeStart, 0);

        var recordFields = new List<FitFieldDefinition>
        {
            new(FitFieldNumber.Record.PositionLat, FitBaseType.SInt32),
            new(FitFieldNumber.Record.PositionLong, FitBaseType.SInt32),
            new(FitFieldNumber.Record.Distance, FitBaseType.UInt32),
            new(FitFieldNumber.Record.EnhancedSpeed, FitBaseType.UInt32),
            new(FitFieldNumber.Record.EnhancedAltitude, FitBaseType.UInt32),
            new(FitFieldNumber.Record.HeartRate, FitBaseType.UInt8),
            new(FitFieldNumber.Record.Cadence, FitBaseType.UInt8),
            new(FitFieldNumber.Record.FractionalCadence, FitBaseType.UInt8),
            new(FitFieldNumber.Record.Power, FitBaseType.UInt16),
            new(FitFieldNumber.Record.VerticalOscillation, FitBaseType.UInt16),
            new(FitFieldNumber.Record.StanceTime, FitBaseType.UInt16),
            new(FitFieldNumber.Record.StepLength, FitBaseType.UInt16),
            new(FitFieldNumber.Record.Temperature, FitBaseType.SInt8),
        };
        if (!layout.CompressedTimestamps)
        {
            recordFields.Insert(0, new(FitFieldNumber.Timestamp, FitBaseType.UInt32));
        }
        var recordLocal = layout.CompressedTimestamps ? (byte)1 : LocalRecord;
        FitDeveloperFieldDefinition[] developer = layout.DeveloperField ? [new(0, 2, 0)] : [];
        encoder.Define(recordLocal, new FitMessageDefinition(FitMessageNumber.Record, recordFields, developer, layout.BigEndianRecords));
        if (layout.CompressedTimestamps)
        {
            // A message carrying only a full timestamp, written every 30 s so offsets stay within 5 bits.
            encoder.Define(LocalTimestampOnly, new FitMessageDefinition(FitMessageNumber.Event,
                [new(FitFieldNumber.Timestamp, FitBaseType.UInt32), new(FitFieldNumber.Event.EventKind, FitBaseType.Enum), new(FitFieldNumber.Event.EventType, FitBaseType.Enum)]));
        }

        var lapDefinition = new FitMessageDefinition(FitMessageNumber.Lap,
        [
            new(FitFieldNumber.Timestamp, FitBaseType.UInt32),
            new(FitFieldNumber.Lap.StartTime, FitBaseType.UInt32),
            new(FitFieldNumber.Lap.StartPositionLat, FitBaseType.SInt32),
            new(FitFieldNumber.Lap.StartPositionLong, FitBaseType.SInt32),
            new(FitFieldNumber.Lap.EndPositionLat, FitBaseType.SInt32),
            new(FitFieldNumber.Lap.EndPositionLong, FitBaseType.SInt32),
            new(FitFieldNumber.Lap.TotalElapsedTime, FitBaseType.UInt32),
            new(FitFieldNumber.Lap.TotalTimerTime, FitBaseType.UInt32),
            new(FitFieldNumber.Lap.TotalDistance, FitBaseType.UInt32),
            new(FitFieldNumber.MessageIndex, FitBaseType.UInt16),
            new(FitFieldNumber.Lap.AvgSpeed, FitBaseType.UInt16),
            new(FitFieldNumber.Lap.Event, FitBaseType.Enum),
            new(FitFieldNumber.Lap.EventType, FitBaseType.Enum),
            new(FitFieldNumber.Lap.AvgHeartRate, FitBaseType.UInt8),
            new(FitFieldNumber.Lap.MaxHeartRate, FitBaseType.UInt8),
            new(FitFieldNumber.Lap.Sport, FitBaseType.Enum),
        ]);
        encoder.Define(LocalLap, lapDefinition);

        // The run: a random walk of heading from a start near a city park, pace varying slowly.
        var lat = 52.35 + _random.NextDouble() * 0.05;
        var lon = 4.85 + _random.NextDouble() * 0.08;
        var heading = _random.NextDouble() * 2 * Math.PI;
        var altitude = 2 + _random.NextDouble() * 30;
        var baseSpeed = 1000.0 / paceSecondsPerKm;
        var restingHr = 50 + _random.Next(10);
        var steadyHr = 135 + _random.Next(25);
        var temperature = 5 + _random.Next(20);
        var pauseAt = _random.NextDouble() < 0.3 ? _random.Next(seconds / 4, seconds * 3 / 4) : -1;
        var pauseLength = 30 + _random.Next(90);

        var time = t0;
        double distance = 0;
        long hrSum = 0;
        var maxHr = 0;
        var records = 0;
        uint lastFullTimestamp = t0;
        var lapStart = t0;
        double lapStartDistance = 0, lapTimer = 0;
        long lapHrSum = 0;
        int lapHrMax = 0, lapRecords = 0, laps = 0;
        int lapStartLat = Geo.DegreesToSemicircles(lat), lapStartLon = Geo.DegreesToSemicircles(lon);
        double timer = 0;

        void CloseLap(uint at, int endLat, int endLon)
        {
            var lapDistance = distance - lapStartDistance;
            encoder.Write(LocalLap, at, lapStart, lapStartLat, lapStartLon, endLat, endLon,
                FitValue.Scaled(at - lapStart, 1000), FitValue.Scaled(lapTimer, 1000), FitValue.Scaled(lapDistance, 100), laps,
                FitValue.Scaled(lapTimer > 0 ? lapDistance / lapTimer : 0, 1000), FitEnum.EventLap, FitEnum.EventTypeStop,
                lapRecords > 0 ? (long)Math.Round((double)lapHrSum / lapRecords) : FitValue.Invalid,
                lapRecords > 0 ? lapHrMax : FitValue.Invalid, FitEnum.SportRunning);
            laps++;
            (lapStart, lapStartDistance, lapTimer, lapHrSum, lapHrMax, lapRecords) = (at, distance, 0, 0, 0, 0);
            (lapStartLat, lapStartLon) = (endLat, endLon);
        }

        int latSc = lapStartLat, lonSc = lapStartLon;
        for (var s = 0; s <= seconds; s++)
        {
            if (s == pauseAt)
            {
                encoder.Write(LocalEvent, time, FitEnum.EventTimer, FitEnum.EventTypeStopAll, 0);
                time += (uint)pauseLength;
                encoder.Write(LocalEvent, time, FitEnum.EventTimer, FitEnum.EventTypeStart, 0);
                lastFullTimestamp = time;
            }
            var speed = s == 0 ? 0 : Math.Max(0.8, baseSpeed * (1 + 0.06 * Math.Sin(s / 240.0)) + (_random.NextDouble() - 0.5) * 0.3);
            if (s > 0)
            {
                distance += speed;
                timer += 1;
                lapTimer += 1;
                heading += (_random.NextDouble() - 0.5) * 0.08;
                lat += speed * Math.Cos(heading) / 111_320.0;
                lon += speed * Math.Sin(heading) / (111_320.0 * Math.Cos(lat * Math.PI / 180));
                altitude += Math.Sin(s / 300.0) * 0.05;
            }
            latSc = Geo.DegreesToSemicircles(lat);
            lonSc = Geo.DegreesToSemicircles(lon);
            var warm = Math.Min(1, s / 600.0);
            var hr = (int)Math.Round(restingHr + 40 + (steadyHr - restingHr - 40) * warm + s / 600.0 + (_random.NextDouble() - 0.5) * 4);
            hrSum += hr;
            maxHr = Math.Max(maxHr, hr);
            lapHrSum += hr;
            lapHrMax = Math.Max(lapHrMax, hr);
            lapRecords++;
            records++;
            var cadence = 84 + _random.NextDouble() * 8;
            ReadOnlySpan<FitValue> values =
            [
                latSc, lonSc, FitValue.Scaled(distance, 100), FitValue.Scaled(speed, 1000), FitValue.Scaled(altitude, 5, 500), hr,
                (long)Math.Floor(cadence), FitValue.Scaled(cadence - Math.Floor(cadence), 128),
                (long)(200 + speed * 40 + _random.Next(20)), FitValue.Scaled(80 + _random.NextDouble() * 20, 10),
                FitValue.Scaled(230 + _random.NextDouble() * 30, 10), FitValue.Scaled(speed * 60 / (2 * cadence) * 1000, 10), temperature,
            ];
            var withTime = layout.CompressedTimestamps ? values : [time, .. values];
            ReadOnlySpan<FitValue> all = layout.DeveloperField ? [.. withTime, (long)(60 + _random.Next(20))] : withTime;
            if (layout.CompressedTimestamps)
            {
                if (time - lastFullTimestamp >= 30 || s == 0)
                {
                    encoder.Write(LocalTimestampOnly, time, FitEnum.EventTimer, FitEnum.EventTypeStart);
                    lastFullTimestamp = time;
                }
                encoder.WriteCompressed(recordLocal, time, all);
            }
            else
            {
                encoder.Write(recordLocal, all);
            }
            if (distance - lapStartDistance >= 1000 && s < seconds)
            {
                CloseLap(time, latSc, lonSc);
            }
            if (s < seconds)
            {
                time++;
            }
        }
        CloseLap(time, latSc, lonSc);
        encoder.Write(LocalEvent, time, FitEnum.EventTimer, FitEnum.EventTypeStopAll, 0);

        var elapsed = (double)(time - t0);
        var avgHr = (int)Math.Round((double)hrSum / records);
        var distanceWritten = Math.Round(distance * 100) / 100;
        encoder.Define(LocalSession, new FitMessageDefinition(FitMessageNumber.Session,
        [
            new(FitFieldNumber.Timestamp, FitBaseType.UInt32),
            new(FitFieldNumber.Session.StartTime, FitBaseType.UInt32),
            new(FitFieldNumber.Session.StartPositionLat, FitBaseType.SInt32),
            new(FitFieldNumber.Session.StartPositionLong, FitBaseType.SInt32),
            new(FitFieldNumber.Session.TotalElapsedTime, FitBaseType.UInt32),
            new(FitFieldNumber.Session.TotalTimerTime, FitBaseType.UInt32),
            new(FitFieldNumber.Session.TotalDistance, FitBaseType.UInt32),
            new(FitFieldNumber.MessageIndex, FitBaseType.UInt16),
            new(FitFieldNumber.Session.FirstLapIndex, FitBaseType.UInt16),
            new(FitFieldNumber.Session.NumLaps, FitBaseType.UInt16),
            new(FitFieldNumber.Session.AvgSpeed, FitBaseType.UInt16),
            new(FitFieldNumber.Session.Event, FitBaseType.Enum),
            new(FitFieldNumber.Session.EventType, FitBaseType.Enum),
            new(FitFieldNumber.Session.Sport, FitBaseType.Enum),
            new(FitFieldNumber.Session.SubSport, FitBaseType.Enum),
            new(FitFieldNumber.Session.AvgHeartRate, FitBaseType.UInt8),
            new(FitFieldNumber.Session.MaxHeartRate, FitBaseType.UInt8),
        ]));
        encoder.Write(LocalSession, time, t0, Geo.DegreesToSemicircles(lat), Geo.DegreesToSemicircles(lon),
            FitValue.Scaled(elapsed, 1000), FitValue.Scaled(timer, 1000), FitValue.Scaled(distance, 100), 0, 0, laps,
            FitValue.Scaled(distance / timer, 1000), FitEnum.EventSession, FitEnum.EventTypeStop, FitEnum.SportRunning, 0, avgHr, maxHr);
        encoder.Define(LocalActivity, new FitMessageDefinition(FitMessageNumber.Activity,
        [
            new(FitFieldNumber.Timestamp, FitBaseType.UInt32),
            new(FitFieldNumber.Activity.TotalTimerTime, FitBaseType.UInt32),
            new(FitFieldNumber.Activity.NumSessions, FitBaseType.UInt16),
            new(FitFieldNumber.Activity.Type, FitBaseType.Enum),
            new(FitFieldNumber.Activity.Event, FitBaseType.Enum),
            new(FitFieldNumber.Activity.EventType, FitBaseType.Enum),
            new(FitFieldNumber.Activity.LocalTimestamp, FitBaseType.UInt32),
        ]));
        encoder.Write(LocalActivity, time, FitValue.Scaled(timer, 1000), 1, 0, FitEnum.EventActivity, FitEnum.EventTypeStop, time + 3600);

        var name = $"{start:yyyy-MM-dd-HHmm}-run.fit";
        var truth = new GeneratedRunTruth(FitTime.ToDateTimeOffset(t0), distanceWritten, elapsed, timer, avgHr, maxHr, laps, records);
        return new GeneratedFitActivity(name, encoder.ToArray(), truth);
    }
}
