using System.Buffers.Binary;
using OpenBfr.Formats.Fit;

namespace OpenBfr.Formats.Tests.Fit;

public class FitDecoderTests
{
    private static readonly uint T0 = FitTime.FromDateTimeOffset(FitTestFiles.Start);

    [Fact]
    public void FitTime_Epoch_Is19891231Utc()
    {
        // FIT protocol: date_time counts seconds since UTC 00:00 Dec 31 1989.
        FitTime.ToDateTimeOffset(0).ShouldBe(new DateTimeOffset(1989, 12, 31, 0, 0, 0, TimeSpan.Zero));
        // 2026-03-14T07:30:00Z is 13 222 days and 27 000 s after it (Python: datetime(2026,3,14,7,30) - datetime(1989,12,31)).
        T0.ShouldBe(13_222u * 86_400 + 27_000);
    }

    [Fact]
    public void DecodeActivity_ShortRun_ReadsSessionTotalsAndLaps()
    {
        var run = FitDecoder.DecodeActivity(FitTestFiles.ShortRun(), "short.fit");

        run.SourceFile.ShouldBe("short.fit");
        run.Format.ShouldBe(ActivityFileFormat.Fit);
        run.StartTime.ShouldBe(FitTestFiles.Start);
        run.Sport.ShouldBe(ActivitySport.Running);
        run.TotalDistanceMeters.ShouldBe(99.9, 1e-9);
        run.ElapsedTime.ShouldBe(TimeSpan.FromSeconds(45));
        run.MovingTime.ShouldBe(TimeSpan.FromSeconds(44));
        run.AverageHeartRate.ShouldBe(144);
        run.MaxHeartRate.ShouldBe(149);
        run.RecordCount.ShouldBe(10);
        run.PositionCount.ShouldBe(10);
        run.Laps.Count.ShouldBe(1);
        run.Laps[0].AverageHeartRate.ShouldBe(144);
        run.Laps[0].MovingTime.ShouldBe(TimeSpan.FromSeconds(44));
    }

    [Theory]
    [InlineData(false, 14)]
    [InlineData(true, 14)]
    [InlineData(false, 12)]
    [InlineData(true, 12)]
    public void Decode_EitherByteOrderAndHeaderSize_SameValues(bool bigEndian, int headerSize)
    {
        var file = FitDecoder.Decode(FitTestFiles.ShortRun(bigEndian, headerSize), "run.fit");

        file.Header.HeaderSize.ShouldBe(headerSize);
        var records = file.OfType(FitMessageNumber.Record).ToList();
        records.Count.ShouldBe(10);
        records[3].Timestamp.ShouldBe(T0 + 15);
        records[3].Field(FitFieldNumber.Record.Distance)!.ScaledValue!.Value.ShouldBe(33.3, 1e-9);
        records[3].Field(FitFieldNumber.Record.HeartRate)!.Value.ShouldBe(143L);
        ((long)records[3].Field(FitFieldNumber.Record.PositionLat)!.Value!).ShouldBe(Geo.DegreesToSemicircles(52.3703));
        var session = file.OfType(FitMessageNumber.Session).Single();
        session.Field(FitFieldNumber.Session.TotalTimerTime)!.ScaledValue.ShouldBe(44.0);
    }

    [Fact]
    public void Decode_CompressedTimestampHeaders_ResolvesEveryTimestampAcrossRollovers()
    {
        var file = FitDecoder.Decode(FitTestFiles.ShortRun(compressed: true), "compressed.fit");

        var records = file.OfType(FitMessageNumber.Record).ToList();
        records.Count.ShouldBe(10);
        for (var i = 0; i < 10; i++)
        {
            records[i].CompressedTimestamp.ShouldBeTrue();
            records[i].Timestamp.ShouldBe(T0 + (uint)(i * 5), $"record {i}");
        }
        // 45 s of 5 s steps from T0 crosses at least one 32 s boundary of the 5-bit offset.
        ((T0 + 45) / 32).ShouldBeGreaterThan(T0 / 32);
        FitDecoder.DecodeActivity(FitTestFiles.ShortRun(compressed: true), "c.fit").StartTime.ShouldBe(FitTestFiles.Start);
    }

    [Fact]
    public void Decode_HeaderCrcZero_IsAccepted()
    {
        var bytes = FitTestFiles.ShortRun();
        bytes[12] = 0;
        bytes[13] = 0;
        Refit(bytes);
        FitDecoder.Decode(bytes, "zero-header-crc.fit").Header.HeaderCrc.ShouldBe((ushort)0);
    }

    [Fact]
    public void Decode_InvalidValue_FieldIsInvalidAndSummaryFallsBack()
    {
        var e = new FitEncoder();
        e.Define(0, new FitMessageDefinition(FitMessageNumber.FileId, [new(FitFieldNumber.FileId.Type, FitBaseType.Enum)]));
        e.Write(0, FitEnum.FileActivity);
        e.Define(1, new FitMessageDefinition(FitMessageNumber.Record,
            [new(FitFieldNumber.Timestamp, FitBaseType.UInt32), new(FitFieldNumber.Record.HeartRate, FitBaseType.UInt8), new(FitFieldNumber.Record.Distance, FitBaseType.UInt32)]));
        e.Write(1, T0, 150, 0);
        e.Write(1, T0 + 1, FitValue.Invalid, 300);
        e.Write(1, T0 + 2, 160, FitValue.Invalid);
        var bytes = e.ToArray();

        var records = FitDecoder.Decode(bytes, "x.fit").OfType(FitMessageNumber.Record).ToList();
        records[1].Field(FitFieldNumber.Record.HeartRate)!.IsInvalid.ShouldBeTrue();
        records[2].Field(FitFieldNumber.Record.Distance)!.IsInvalid.ShouldBeTrue();
        var run = FitDecoder.DecodeActivity(bytes, "x.fit");
        run.AverageHeartRate.ShouldBe(155);
        run.TotalDistanceMeters.ShouldBe(3.0);
        run.ElapsedTime.ShouldBe(TimeSpan.FromSeconds(2));
        run.Sport.ShouldBe(ActivitySport.Other);
    }

    [Fact]
    public void DecodeActivity_RecordsWithPositionsButNoDistance_DistanceByHaversine()
    {
        var e = new FitEncoder();
        e.Define(0, new FitMessageDefinition(FitMessageNumber.FileId, [new(FitFieldNumber.FileId.Type, FitBaseType.Enum)]));
        e.Write(0, FitEnum.FileActivity);
        e.Define(1, new FitMessageDefinition(FitMessageNumber.Record,
            [new(FitFieldNumber.Timestamp, FitBaseType.UInt32), new(FitFieldNumber.Record.PositionLat, FitBaseType.SInt32), new(FitFieldNumber.Record.PositionLong, FitBaseType.SInt32)]));
        for (var i = 0; i < 10; i++)
        {
            e.Write(1, T0 + (uint)i, Geo.DegreesToSemicircles(45 + i * 0.001), Geo.DegreesToSemicircles(7));
        }

        var run = FitDecoder.DecodeActivity(e.ToArray(), "nodist.fit");

        // 9 steps of 0.001° along a meridian: 9 × π × 6 371 008.8 m / 180 000 = 1000.76 m (semicircle rounding < 1 mm).
        run.TotalDistanceMeters.ShouldBe(9 * Math.PI * 6_371_008.8 / 180_000, 0.01);
        run.PositionCount.ShouldBe(10);
    }

    [Fact]
    public void Decode_DeveloperFieldWithDescription_DecodesValueAndName()
    {
        var bytes = new FitActivityGenerator(7).Run(FitTestFiles.Start, TimeSpan.FromMinutes(2), 300, new FitActivityLayout(DeveloperField: true)).Bytes;

        var file = FitDecoder.Decode(bytes, "dev.fit");

        file.DeveloperDataIds.Single().DeveloperDataIndex.ShouldBe((byte)0);
        file.DeveloperFieldDescriptions.Single().Name.ShouldBe("form_power");
        var record = file.OfType(FitMessageNumber.Record).First();
        var dev = record.DeveloperFields.Single();
        dev.Description!.Units.ShouldBe("W");
        ((long)dev.Values![0]!).ShouldBeInRange(60, 79);
    }

    [Fact]
    public void Decode_DeveloperFieldWithoutDescription_IsSkippedBySizeAndLaterFieldsStillRead()
    {
        var e = new FitEncoder();
        e.Define(0, new FitMessageDefinition(FitMessageNumber.FileId, [new(FitFieldNumber.FileId.Type, FitBaseType.Enum)]));
        e.Write(0, FitEnum.FileActivity);
        e.Define(1, new FitMessageDefinition(FitMessageNumber.Record,
            [new(FitFieldNumber.Timestamp, FitBaseType.UInt32), new(FitFieldNumber.Record.HeartRate, FitBaseType.UInt8)],
            [new FitDeveloperFieldDefinition(5, 3, 9)]));
        e.Write(1, T0, 150, FitValue.Bytes([1, 2, 3]));
        e.Write(1, T0 + 1, 151, FitValue.Bytes([4, 5, 6]));

        var records = FitDecoder.Decode(e.ToArray(), "undescribed.fit").OfType(FitMessageNumber.Record).ToList();

        records[1].Field(FitFieldNumber.Record.HeartRate)!.Value.ShouldBe(151L);
        records[1].DeveloperFields.Single().Description.ShouldBeNull();
        records[1].DeveloperFields.Single().Raw.ShouldBe(new byte[] { 4, 5, 6 });
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(9)]
    public void DecodeActivity_GeneratedRuns_MatchWhatTheGeneratorWrote(int seed)
    {
        var layouts = new[]
        {
            new FitActivityLayout(),
            new FitActivityLayout(CompressedTimestamps: true),
            new FitActivityLayout(BigEndianRecords: true, DeveloperField: true, HeaderSize: 12),
        };
        foreach (var layout in layouts)
        {
            var generated = new FitActivityGenerator(seed).Run(FitTestFiles.Start, TimeSpan.FromMinutes(20 + seed), 290 + seed * 5, layout);

            var run = FitDecoder.DecodeActivity(generated.Bytes, generated.FileName);

            run.StartTime.ShouldBe(generated.Truth.StartTime, layout.ToString());
            run.TotalDistanceMeters.ShouldBe(generated.Truth.DistanceMeters, 0.006, layout.ToString());
            run.ElapsedTime.TotalSeconds.ShouldBe(generated.Truth.ElapsedSeconds, 0.0005);
            run.MovingTime.TotalSeconds.ShouldBe(generated.Truth.TimerSeconds, 0.0005);
            run.AverageHeartRate.ShouldBe(generated.Truth.AverageHeartRate);
            run.MaxHeartRate.ShouldBe(generated.Truth.MaxHeartRate);
            run.Laps.Count.ShouldBe(generated.Truth.Laps);
            run.RecordCount.ShouldBe(generated.Truth.Records);
            run.Laps.Sum(l => l.DistanceMeters).ShouldBe(run.TotalDistanceMeters, 0.05);
        }
    }

    [Fact]
    public void Year_RealisticSizesAndCount()
    {
        var year = new FitActivityGenerator(3).Year(new DateOnly(2026, 1, 5), runsPerWeek: 6);

        year.Count.ShouldBe(312);
        year.Select(r => r.FileName).Distinct().Count().ShouldBe(312);
        // About 37 bytes per 1 s record: 60–180 KB per hour of running, as watches write.
        var perHour = year.Sum(r => (double)r.Bytes.Length) / year.Sum(r => r.Truth.ElapsedSeconds / 3600);
        perHour.ShouldBeInRange(60_000, 180_000);
    }

    // ---- malformed files: every case names the file and what is wrong ----

    [Fact]
    public void Decode_EmptyFile_Throws()
    {
        var ex = Should.Throw<MalformedFileException>(() => FitDecoder.Decode([], "empty.fit"));
        ex.Message.ShouldBe("empty.fit: not a valid FIT file: the file is empty");
    }

    [Fact]
    public void Decode_WrongHeaderSize_NamesByteZeroAndTheSizes()
    {
        var bytes = FitTestFiles.ShortRun();
        bytes[0] = 13;
        var ex = Should.Throw<MalformedFileException>(() => FitDecoder.Decode(bytes, "h.fit"));
        ex.Message.ShouldBe("h.fit: not a valid FIT file: at byte 0: header size byte is 13, expected 12 or 14");
    }

    [Fact]
    public void Decode_NotFitSignature_SaysWhatWasFound()
    {
        var bytes = FitTestFiles.ShortRun();
        "GPX!"u8.CopyTo(bytes.AsSpan(8));
        var ex = Should.Throw<MalformedFileException>(() => FitDecoder.Decode(bytes, "s.fit"));
        ex.Message.ShouldContain("at byte 8: data type is \"GPX!");
        ex.Message.ShouldContain("expected \".FIT\"");
    }

    [Fact]
    public void Decode_XmlFileNamedFit_IsRejected()
    {
        var bytes = "<?xml version=\"1.0\"?><gpx/>"u8.ToArray();
        Should.Throw<MalformedFileException>(() => FitDecoder.Decode(bytes, "gpx-in-disguise.fit")).Message.ShouldContain("header size byte is 60");
    }

    [Fact]
    public void Decode_Truncated_SaysHowLongItIsAndShouldBe()
    {
        var bytes = FitTestFiles.ShortRun();
        var cut = bytes[..^10];
        var ex = Should.Throw<MalformedFileException>(() => FitDecoder.Decode(cut, "cut.fit"));
        ex.Message.ShouldContain($"the file is truncated: {cut.Length} bytes");
        ex.Message.ShouldContain($"so {bytes.Length} bytes with the CRC");
        ex.Location.ShouldBe($"byte {cut.Length}");
    }

    [Fact]
    public void Decode_CorruptedDataByte_FileCrcMismatchNamesExpectedAndComputed()
    {
        var bytes = FitTestFiles.ShortRun();
        var stored = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(bytes.Length - 2));
        bytes[40] ^= 0x01;
        var computed = FitCrc.Compute(bytes.AsSpan(0, bytes.Length - 2));
        var ex = Should.Throw<MalformedFileException>(() => FitDecoder.DecodeActivity(bytes, "crc.fit"));
        ex.Message.ShouldBe($"crc.fit: not a valid FIT file: at byte {bytes.Length - 2}: file CRC is 0x{stored:X4}, computed 0x{computed:X4} over bytes 0–{bytes.Length - 3}");
    }

    [Fact]
    public void Decode_CorruptedHeader_HeaderCrcMismatch()
    {
        var bytes = FitTestFiles.ShortRun();
        bytes[2] ^= 0xFF; // profile version
        var ex = Should.Throw<MalformedFileException>(() => FitDecoder.Decode(bytes, "hcrc.fit"));
        ex.Message.ShouldContain("at byte 12: header CRC is 0x");
    }

    [Fact]
    public void Decode_TrailingBytes_AreRejectedWithTheirCount()
    {
        var bytes = FitTestFiles.ShortRun();
        var ex = Should.Throw<MalformedFileException>(() => FitDecoder.Decode([.. bytes, 1, 2, 3], "tail.fit"));
        ex.Message.ShouldContain($"at byte {bytes.Length}: 3 bytes follow the file CRC");
    }

    [Fact]
    public void Decode_DataMessageWithoutDefinition_NamesTheLocalType()
    {
        var bytes = Frame([0x05, 0x01, 0x02]);
        var ex = Should.Throw<MalformedFileException>(() => FitDecoder.Decode(bytes, "nodef.fit"));
        ex.Message.ShouldBe("nodef.fit: not a valid FIT file: at byte 14: data message for local type 5, which has no definition yet");
    }

    [Fact]
    public void Decode_UnknownBaseType_NamesTheField()
    {
        // definition: local 0, reserved, arch 0, global 20, 1 field: number 3, size 1, base type 0x1F
        var bytes = Frame([0x40, 0, 0, 20, 0, 1, 3, 1, 0x1F]);
        var ex = Should.Throw<MalformedFileException>(() => FitDecoder.Decode(bytes, "bt.fit"));
        ex.Message.ShouldBe("bt.fit: not a valid FIT file: at byte 22: field 3 of record has base type 0x1F, which is not a FIT base type");
    }

    [Fact]
    public void Decode_BadArchitectureByte_SaysWhatIsAllowed()
    {
        var bytes = Frame([0x40, 0, 7, 20, 0, 0]);
        var ex = Should.Throw<MalformedFileException>(() => FitDecoder.Decode(bytes, "arch.fit"));
        ex.Message.ShouldContain("at byte 16: architecture byte is 7, expected 0 (little-endian) or 1 (big-endian)");
    }

    [Fact]
    public void Decode_MessageRunningPastTheData_IsTruncationInsideTheFile()
    {
        // record with a uint32 field, then a data message with only 2 of its 4 bytes
        var bytes = Frame([0x40, 0, 0, 20, 0, 1, 5, 4, 0x86, 0x00, 0x01, 0x02]);
        var ex = Should.Throw<MalformedFileException>(() => FitDecoder.Decode(bytes, "short.fit"));
        ex.Message.ShouldContain("at byte 23: record message of 5 bytes runs past the end of the data at byte 26");
    }

    [Fact]
    public void Decode_CompressedTimestampBeforeAnyTimestamp_IsRejected()
    {
        var bytes = Frame([0x40, 0, 0, 20, 0, 1, 3, 1, 0x02, 0x85, 140]);
        Should.Throw<MalformedFileException>(() => FitDecoder.Decode(bytes, "ct.fit"))
            .Message.ShouldContain("at byte 23: compressed-timestamp message before any message with a timestamp");
    }

    [Fact]
    public void DecodeActivity_WorkoutFile_SaysItIsNotAnActivity()
    {
        var e = new FitEncoder();
        e.Define(0, new FitMessageDefinition(FitMessageNumber.FileId, [new(FitFieldNumber.FileId.Type, FitBaseType.Enum)]));
        e.Write(0, FitEnum.FileWorkout);
        var ex = Should.Throw<MalformedFileException>(() => FitDecoder.DecodeActivity(e.ToArray(), "wkt.fit"));
        ex.Message.ShouldBe("wkt.fit: not a valid FIT file: at byte 23: file_id.type is 5 (workout), expected 4 (activity)");
    }

    [Fact]
    public void DecodeActivity_NoSessionNoRecords_Throws()
    {
        var e = new FitEncoder();
        e.Define(0, new FitMessageDefinition(FitMessageNumber.FileId, [new(FitFieldNumber.FileId.Type, FitBaseType.Enum)]));
        e.Write(0, FitEnum.FileActivity);
        Should.Throw<MalformedFileException>(() => FitDecoder.DecodeActivity(e.ToArray(), "bare.fit")).Message.ShouldContain("no session and no record messages");
    }

    [Fact]
    public void DecodeActivity_EveryTruncation_ThrowsMalformedNeverAnythingElse()
    {
        var bytes = FitTestFiles.ShortRun();
        for (var length = 0; length < bytes.Length; length++)
        {
            Should.Throw<MalformedFileException>(() => FitDecoder.DecodeActivity(bytes.AsSpan(0, length), "t.fit"), $"length {length}");
        }
    }

    [Fact]
    public void DecodeActivity_RandomByteFlipsWithFixedCrc_ThrowMalformedOrDecode()
    {
        // Corrupt the records but recompute the CRC, so the walk itself meets the damage.
        var random = new Random(11);
        var original = FitTestFiles.ShortRun();
        for (var n = 0; n < 300; n++)
        {
            var bytes = (byte[])original.Clone();
            for (var k = 0; k < 3; k++)
            {
                bytes[random.Next(14, bytes.Length - 2)] = (byte)random.Next(256);
            }
            Refit(bytes);
            try
            {
                FitDecoder.DecodeActivity(bytes, "fuzz.fit");
            }
            catch (MalformedFileException)
            {
            }
        }
    }

    [Fact]
    public void Decode_RandomRecordBytesWithValidFrame_ThrowMalformedOrDecodeNeverCrash()
    {
        // Random definitions and data behind a valid header and CRC: the record walk must
        // report every problem as MalformedFileException (seeded; the failing seed is in the message).
        for (var seed = 0; seed < 3000; seed++)
        {
            var random = new Random(seed);
            var records = new byte[random.Next(1, 120)];
            random.NextBytes(records);
            // Bias towards plausible structure: start with a definition of a known message.
            records[0] = (byte)(0x40 | random.Next(16) | (random.Next(2) << 5));
            if (records.Length > 5)
            {
                records[2] = (byte)random.Next(2);
                records[3] = (byte)new[] { 0, 18, 19, 20, 34, 206, 207 }[random.Next(7)];
                records[4] = 0;
                records[5] = (byte)random.Next(6);
            }
            var bytes = Frame(records);
            try
            {
                FitDecoder.DecodeActivity(bytes, "fuzz.fit");
                FitDecoder.Decode(bytes, "fuzz.fit");
            }
            catch (MalformedFileException)
            {
            }
            catch (Exception ex)
            {
                throw new ShouldAssertException($"seed {seed}: {ex.GetType().Name}: {ex.Message}", ex);
            }
        }
    }

    [Fact]
    public void Encoder_ValueOutOfRange_ThrowsNamingFieldAndRange()
    {
        var e = new FitEncoder();
        e.Define(0, new FitMessageDefinition(FitMessageNumber.Record, [new(FitFieldNumber.Record.HeartRate, FitBaseType.UInt8)]));
        Should.Throw<ArgumentOutOfRangeException>(() => e.Write(0, 255)).Message.ShouldContain("field 3 (uint8) must be 0–254, was 255");
    }

    [Fact]
    public void Encoder_CompressedTimestampTooFarAhead_Throws()
    {
        var e = new FitEncoder();
        e.Define(0, new FitMessageDefinition(FitMessageNumber.Record, [new(FitFieldNumber.Timestamp, FitBaseType.UInt32)]));
        e.Write(0, 1000);
        e.Define(1, new FitMessageDefinition(FitMessageNumber.Record, [new(FitFieldNumber.Record.HeartRate, FitBaseType.UInt8)]));
        Should.Throw<InvalidOperationException>(() => e.WriteCompressed(1, 1032, 100)).Message.ShouldContain("must be 0–31 s after the last one (1000)");
    }

    [Fact]
    public void Encoder_WrongNumberOfValues_Throws()
    {
        var e = new FitEncoder();
        e.Define(0, new FitMessageDefinition(FitMessageNumber.Record, [new(FitFieldNumber.Record.HeartRate, FitBaseType.UInt8)]));
        Should.Throw<ArgumentException>(() => e.Write(0, 1, 2)).Message.ShouldContain("record is defined with 1 fields and 0 developer fields, so 1 values, but 2 were given");
    }

    /// <summary>Wraps raw record bytes in a 14-byte header and a correct CRC.</summary>
    private static byte[] Frame(byte[] records)
    {
        var bytes = new byte[14 + records.Length + 2];
        bytes[0] = 14;
        bytes[1] = 0x20;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2), 2132);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)records.Length);
        ".FIT"u8.CopyTo(bytes.AsSpan(8));
        records.CopyTo(bytes.AsSpan(14));
        Refit(bytes);
        return bytes;
    }

    /// <summary>Recomputes the header CRC (unless 0) and the file CRC after an edit.</summary>
    internal static void Refit(byte[] bytes)
    {
        if (bytes[0] == 14 && (bytes[12] | bytes[13]) != 0)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(12), FitCrc.Compute(bytes.AsSpan(0, 12)));
        }
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(bytes.Length - 2), FitCrc.Compute(bytes.AsSpan(0, bytes.Length - 2)));
    }
}
