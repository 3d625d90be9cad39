namespace OpenBfr.Formats.Fit;

/// <summary>Global message numbers of the FIT profile that OpenBFR reads or writes.</summary>
public static class FitMessageNumber
{
    public const ushort FileId = 0;
    public const ushort Session = 18;
    public const ushort Lap = 19;
    public const ushort Record = 20;
    public const ushort Event = 21;
    public const ushort Workout = 26;
    public const ushort WorkoutStep = 27;
    public const ushort Activity = 34;
    public const ushort FileCreator = 49;
    public const ushort FieldDescription = 206;
    public const ushort DeveloperDataId = 207;
}

/// <summary>Field numbers, per message, of the FIT profile fields OpenBFR uses.</summary>
public static class FitFieldNumber
{
    /// <summary>Every message's timestamp field (date_time, seconds since the FIT epoch).</summary>
    public const byte Timestamp = 253;

    /// <summary>Every message's message_index field.</summary>
    public const byte MessageIndex = 254;

    public static class FileId
    {
        public const byte Type = 0, Manufacturer = 1, Product = 2, SerialNumber = 3, TimeCreated = 4, Number = 5, ProductName = 8;
    }

    public static class FileCreator
    {
        public const byte SoftwareVersion = 0, HardwareVersion = 1;
    }

    public static class Event
    {
        public const byte EventKind = 0, EventType = 1, Data = 3, EventGroup = 4;
    }

    public static class Record
    {
        public const byte PositionLat = 0, PositionLong = 1, Altitude = 2, HeartRate = 3, Cadence = 4, Distance = 5, Speed = 6,
            Power = 7, Temperature = 13, VerticalOscillation = 39, StanceTime = 41, FractionalCadence = 53, EnhancedSpeed = 73,
            EnhancedAltitude = 78, StepLength = 85;
    }

    public static class Lap
    {
        public const byte Event = 0, EventType = 1, StartTime = 2, StartPositionLat = 3, StartPositionLong = 4, EndPositionLat = 5,
            EndPositionLong = 6, TotalElapsedTime = 7, TotalTimerTime = 8, TotalDistance = 9, TotalCalories = 11, AvgSpeed = 13,
            MaxSpeed = 14, AvgHeartRate = 15, MaxHeartRate = 16, AvgCadence = 17, TotalAscent = 21, TotalDescent = 22,
            LapTrigger = 24, Sport = 25;
    }

    public static class Session
    {
        public const byte Event = 0, EventType = 1, StartTime = 2, StartPositionLat = 3, StartPositionLong = 4, Sport = 5, SubSport = 6,
            TotalElapsedTime = 7, TotalTimerTime = 8, TotalDistance = 9, TotalCalories = 11, AvgSpeed = 14, MaxSpeed = 15,
            AvgHeartRate = 16, MaxHeartRate = 17, AvgCadence = 18, MaxCadence = 19, TotalAscent = 22, TotalDescent = 23,
            FirstLapIndex = 25, NumLaps = 26, Trigger = 28, EnhancedAvgSpeed = 124, EnhancedMaxSpeed = 125;
    }

    public static class Activity
    {
        public const byte TotalTimerTime = 0, NumSessions = 1, Type = 2, Event = 3, EventType = 4, LocalTimestamp = 5, EventGroup = 6;
    }

    public static class Workout
    {
        public const byte Sport = 4, Capabilities = 5, NumValidSteps = 6, Name = 8, SubSport = 11, Description = 17;
    }

    public static class WorkoutStep
    {
        public const byte Name = 0, DurationType = 1, DurationValue = 2, TargetType = 3, TargetValue = 4, CustomTargetValueLow = 5,
            CustomTargetValueHigh = 6, Intensity = 7, Notes = 8, Equipment = 9;
    }

    public static class FieldDescription
    {
        public const byte DeveloperDataIndex = 0, FieldDefinitionNumber = 1, FitBaseTypeId = 2, FieldName = 3, Array = 4, Scale = 6,
            Offset = 7, Units = 8, FitBaseUnitId = 13, NativeMesgNum = 14, NativeFieldNum = 15;
    }

    public static class DeveloperDataId
    {
        public const byte DeveloperId = 0, ApplicationId = 1, ManufacturerId = 2, DeveloperDataIndex = 3, ApplicationVersion = 4;
    }
}

/// <summary>FIT profile values (enums) OpenBFR writes or interprets.</summary>
public static class FitEnum
{
    /// <summary>file_id.type values.</summary>
    public const byte FileActivity = 4, FileWorkout = 5;

    /// <summary>sport values.</summary>
    public const byte SportGeneric = 0, SportRunning = 1, SportCycling = 2, SportSwimming = 5, SportTraining = 10, SportWalking = 11, SportHiking = 17;

    /// <summary>manufacturer: development (255).</summary>
    public const ushort ManufacturerDevelopment = 255;

    /// <summary>event: timer (0), session (8), lap (9); event_type: start (0), stop_all (4).</summary>
    public const byte EventTimer = 0, EventTypeStart = 0, EventTypeStopAll = 4, EventSession = 8, EventLap = 9, EventActivity = 26, EventTypeStop = 1;

    /// <summary>wkt_step_duration: time (0, in ms), open (5), reps (29).</summary>
    public const byte DurationTime = 0, DurationOpen = 5, DurationReps = 29;

    /// <summary>wkt_step_target: open (2).</summary>
    public const byte TargetOpen = 2;

    /// <summary>intensity: active (0), rest (1), warmup (2), cooldown (3), recovery (4).</summary>
    public const byte IntensityActive = 0, IntensityRest = 1, IntensityWarmup = 2, IntensityCooldown = 3, IntensityRecovery = 4;
}

/// <summary>Name, scale, offset and units of a profile field: value = raw / scale − offset.</summary>
public sealed record FitFieldInfo(ushort Message, byte Number, string Name, double Scale, double Offset, string Units);

/// <summary>
/// The part of the FIT profile (Profile.xlsx, as shipped in Garmin's FIT SDK 21.x) that
/// OpenBFR needs: message names and the fields it reads or writes, with scale and offset.
/// </summary>
public static class FitProfile
{
    private static readonly Dictionary<ushort, string> MessageNames = new()
    {
        [FitMessageNumber.FileId] = "file_id",
        [FitMessageNumber.Session] = "session",
        [FitMessageNumber.Lap] = "lap",
        [FitMessageNumber.Record] = "record",
        [FitMessageNumber.Event] = "event",
        [23] = "device_info",
        [FitMessageNumber.Workout] = "workout",
        [FitMessageNumber.WorkoutStep] = "workout_step",
        [FitMessageNumber.Activity] = "activity",
        [FitMessageNumber.FileCreator] = "file_creator",
        [FitMessageNumber.FieldDescription] = "field_description",
        [FitMessageNumber.DeveloperDataId] = "developer_data_id",
    };

    private static readonly Dictionary<int, FitFieldInfo> Fields = new[]
    {
        F(0, 0, "type"), F(0, 1, "manufacturer"), F(0, 2, "product"), F(0, 3, "serial_number"), F(0, 4, "time_created"),
        F(0, 5, "number"), F(0, 8, "product_name"),
        F(18, 0, "event"), F(18, 1, "event_type"), F(18, 2, "start_time"), F(18, 3, "start_position_lat", 1, 0, "semicircles"),
        F(18, 4, "start_position_long", 1, 0, "semicircles"), F(18, 5, "sport"), F(18, 6, "sub_sport"),
        F(18, 7, "total_elapsed_time", 1000, 0, "s"), F(18, 8, "total_timer_time", 1000, 0, "s"), F(18, 9, "total_distance", 100, 0, "m"),
        F(18, 11, "total_calories", 1, 0, "kcal"), F(18, 14, "avg_speed", 1000, 0, "m/s"), F(18, 15, "max_speed", 1000, 0, "m/s"),
        F(18, 16, "avg_heart_rate", 1, 0, "bpm"), F(18, 17, "max_heart_rate", 1, 0, "bpm"), F(18, 18, "avg_cadence", 1, 0, "rpm"),
        F(18, 19, "max_cadence", 1, 0, "rpm"), F(18, 22, "total_ascent", 1, 0, "m"), F(18, 23, "total_descent", 1, 0, "m"),
        F(18, 25, "first_lap_index"), F(18, 26, "num_laps"), F(18, 28, "trigger"), F(18, 124, "enhanced_avg_speed", 1000, 0, "m/s"),
        F(18, 125, "enhanced_max_speed", 1000, 0, "m/s"), F(18, 253, "timestamp", 1, 0, "s"), F(18, 254, "message_index"),
        F(19, 0, "event"), F(19, 1, "event_type"), F(19, 2, "start_time"), F(19, 3, "start_position_lat", 1, 0, "semicircles"),
        F(19, 4, "start_position_long", 1, 0, "semicircles"), F(19, 5, "end_position_lat", 1, 0, "semicircles"),
        F(19, 6, "end_position_long", 1, 0, "semicircles"), F(19, 7, "total_elapsed_time", 1000, 0, "s"),
        F(19, 8, "total_timer_time", 1000, 0, "s"), F(19, 9, "total_distance", 100, 0, "m"), F(19, 11, "total_calories", 1, 0, "kcal"),
        F(19, 13, "avg_speed", 1000, 0, "m/s"), F(19, 14, "max_speed", 1000, 0, "m/s"), F(19, 15, "avg_heart_rate", 1, 0, "bpm"),
        F(19, 16, "max_heart_rate", 1, 0, "bpm"), F(19, 17, "avg_cadence", 1, 0, "rpm"), F(19, 21, "total_ascent", 1, 0, "m"),
        F(19, 22, "total_descent", 1, 0, "m"), F(19, 24, "lap_trigger"), F(19, 25, "sport"), F(19, 253, "timestamp", 1, 0, "s"),
        F(19, 254, "message_index"),
        F(20, 0, "position_lat", 1, 0, "semicircles"), F(20, 1, "position_long", 1, 0, "semicircles"), F(20, 2, "altitude", 5, 500, "m"),
        F(20, 3, "heart_rate", 1, 0, "bpm"), F(20, 4, "cadence", 1, 0, "rpm"), F(20, 5, "distance", 100, 0, "m"),
        F(20, 6, "speed", 1000, 0, "m/s"), F(20, 7, "power", 1, 0, "watts"), F(20, 13, "temperature", 1, 0, "C"),
        F(20, 39, "vertical_oscillation", 10, 0, "mm"), F(20, 41, "stance_time", 10, 0, "ms"), F(20, 53, "fractional_cadence", 128, 0, "rpm"),
        F(20, 73, "enhanced_speed", 1000, 0, "m/s"), F(20, 78, "enhanced_altitude", 5, 500, "m"), F(20, 85, "step_length", 10, 0, "mm"),
        F(20, 253, "timestamp", 1, 0, "s"),
        F(21, 0, "event"), F(21, 1, "event_type"), F(21, 3, "data"), F(21, 4, "event_group"), F(21, 253, "timestamp", 1, 0, "s"),
        F(26, 4, "sport"), F(26, 5, "capabilities"), F(26, 6, "num_valid_steps"), F(26, 8, "wkt_name"), F(26, 11, "sub_sport"),
        F(26, 17, "wkt_description"), F(26, 254, "message_index"),
        F(27, 0, "wkt_step_name"), F(27, 1, "duration_type"), F(27, 2, "duration_value"), F(27, 3, "target_type"), F(27, 4, "target_value"),
        F(27, 5, "custom_target_value_low"), F(27, 6, "custom_target_value_high"), F(27, 7, "intensity"), F(27, 8, "notes"),
        F(27, 9, "equipment"), F(27, 254, "message_index"),
        F(34, 0, "total_timer_time", 1000, 0, "s"), F(34, 1, "num_sessions"), F(34, 2, "type"), F(34, 3, "event"), F(34, 4, "event_type"),
        F(34, 5, "local_timestamp"), F(34, 6, "event_group"), F(34, 253, "timestamp"),
        F(49, 0, "software_version"), F(49, 1, "hardware_version"),
        F(206, 0, "developer_data_index"), F(206, 1, "field_definition_number"), F(206, 2, "fit_base_type_id"), F(206, 3, "field_name"),
        F(206, 4, "array"), F(206, 6, "scale"), F(206, 7, "offset"), F(206, 8, "units"), F(206, 13, "fit_base_unit_id"),
        F(206, 14, "native_mesg_num"), F(206, 15, "native_field_num"),
        F(207, 0, "developer_id"), F(207, 1, "application_id"), F(207, 2, "manufacturer_id"), F(207, 3, "developer_data_index"),
        F(207, 4, "application_version"),
    }.ToDictionary(f => Key(f.Message, f.Number));

    /// <summary>The message's profile name ("record"), or "unknown_N" when OpenBFR does not know it.</summary>
    public static string MessageName(ushort globalNumber)
        => MessageNames.TryGetValue(globalNumber, out var name) ? name : UnknownNames.GetOrAdd(globalNumber, n => "unknown_" + n);

    // One string per unknown number (at most 65 536), not one per message.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<ushort, string> UnknownNames = new();

    /// <summary>Looks up a field of the profile subset OpenBFR knows.</summary>
    public static bool TryGetField(ushort message, byte field, out FitFieldInfo info)
    {
        if (Fields.TryGetValue(Key(message, field), out var found))
        {
            info = found;
            return true;
        }
        info = null!;
        return false;
    }

    private static int Key(ushort message, byte field) => (message << 8) | field;

    private static FitFieldInfo F(ushort message, byte number, string name, double scale = 1, double offset = 0, string units = "")
        => new(message, number, name, scale, offset, units);
}

/// <summary>FIT date_time: seconds since the FIT epoch, 1989-12-31T00:00:00Z.</summary>
public static class FitTime
{
    /// <summary>The FIT epoch, 1989-12-31T00:00:00Z (FIT protocol, date_time type).</summary>
    public static readonly DateTimeOffset Epoch = new(1989, 12, 31, 0, 0, 0, TimeSpan.Zero);

    /// <summary>date_time values below this are seconds since device power-up, not since the epoch (FIT profile: min date_time 0x10000000).</summary>
    public const uint MinAbsolute = 0x10000000;

    /// <summary>Converts FIT seconds to a UTC time.</summary>
    public static DateTimeOffset ToDateTimeOffset(uint fitSeconds) => Epoch.AddSeconds(fitSeconds);

    /// <summary>Converts a time to FIT seconds (whole seconds, truncated).</summary>
    /// <exception cref="ArgumentOutOfRangeException">before the epoch or past 2126.</exception>
    public static uint FromDateTimeOffset(DateTimeOffset time)
    {
        var seconds = (long)Math.Floor((time - Epoch).TotalSeconds);
        if (seconds < 0 || seconds >= uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(time), time, $"time must be from {Epoch:O} to 2126 for FIT, was {time:O}");
        }
        return (uint)seconds;
    }
}
