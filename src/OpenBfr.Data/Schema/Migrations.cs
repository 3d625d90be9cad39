namespace OpenBfr.Data.Schema;

/// <summary>One versioned schema change, written by hand for each provider. Applied in one transaction.</summary>
/// <param name="Version">1, 2, …: applied in order, each once.</param>
/// <param name="Name">what it changes, in words.</param>
/// <param name="Sqlite">the SQL for SQLite.</param>
/// <param name="Postgres">the SQL for PostgreSQL.</param>
public sealed record SchemaMigration(int Version, string Name, string Sqlite, string Postgres)
{
    public string SqlFor(DatabaseProvider provider) => provider == DatabaseProvider.Postgres ? Postgres : Sqlite;
}

/// <summary>
/// Every schema version, oldest first. Never edit a released migration: add a new one. Types
/// follow what EF Core's providers expect: GUIDs as TEXT (SQLite) / uuid (PostgreSQL), times as
/// Unix milliseconds (see <see cref="TimestampConventions"/>), enums as their names.
/// </summary>
public static class Migrations
{
    /// <summary>All migrations in version order.</summary>
    public static IReadOnlyList<SchemaMigration> All { get; } = [V1Initial, V2CalendarAndHeartbeat, V3StrengthTestsAndClearances, V4SessionCommands, V5CorrectionStamps, V6RevisionsAndVersions, V7LiveStatus, V8HopTime, V9LopCorrections];

    /// <summary>The newest schema version this build knows.</summary>
    public static int Latest => All[^1].Version;

    private static SchemaMigration V1Initial => new(1, "accounts, athletes, screening, LOP, prescriptions, plans, activities, session log, audit",
        """
        CREATE TABLE "AspNetRoles" ("Id" TEXT NOT NULL PRIMARY KEY, "Name" TEXT NULL, "NormalizedName" TEXT NULL, "ConcurrencyStamp" TEXT NULL);
        CREATE UNIQUE INDEX "RoleNameIndex" ON "AspNetRoles" ("NormalizedName");
        CREATE TABLE "AspNetUsers" (
          "Id" TEXT NOT NULL PRIMARY KEY, "DisplayName" TEXT NOT NULL DEFAULT '',
          "UserName" TEXT NULL, "NormalizedUserName" TEXT NULL, "Email" TEXT NULL, "NormalizedEmail" TEXT NULL,
          "EmailConfirmed" INTEGER NOT NULL, "PasswordHash" TEXT NULL, "SecurityStamp" TEXT NULL, "ConcurrencyStamp" TEXT NULL,
          "PhoneNumber" TEXT NULL, "PhoneNumberConfirmed" INTEGER NOT NULL, "TwoFactorEnabled" INTEGER NOT NULL,
          "LockoutEnd" INTEGER NULL, "LockoutEnabled" INTEGER NOT NULL, "AccessFailedCount" INTEGER NOT NULL);
        CREATE UNIQUE INDEX "UserNameIndex" ON "AspNetUsers" ("NormalizedUserName");
        CREATE INDEX "EmailIndex" ON "AspNetUsers" ("NormalizedEmail");
        CREATE TABLE "AspNetRoleClaims" ("Id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "RoleId" TEXT NOT NULL REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE, "ClaimType" TEXT NULL, "ClaimValue" TEXT NULL);
        CREATE TABLE "AspNetUserClaims" ("Id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "UserId" TEXT NOT NULL REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE, "ClaimType" TEXT NULL, "ClaimValue" TEXT NULL);
        CREATE TABLE "AspNetUserLogins" ("LoginProvider" TEXT NOT NULL, "ProviderKey" TEXT NOT NULL, "ProviderDisplayName" TEXT NULL, "UserId" TEXT NOT NULL REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE, PRIMARY KEY ("LoginProvider", "ProviderKey"));
        CREATE TABLE "AspNetUserRoles" ("UserId" TEXT NOT NULL REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE, "RoleId" TEXT NOT NULL REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE, PRIMARY KEY ("UserId", "RoleId"));
        CREATE TABLE "AspNetUserTokens" ("UserId" TEXT NOT NULL REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE, "LoginProvider" TEXT NOT NULL, "Name" TEXT NOT NULL, "Value" TEXT NULL, PRIMARY KEY ("UserId", "LoginProvider", "Name"));

        CREATE TABLE "Athletes" ("Id" TEXT NOT NULL PRIMARY KEY, "DisplayName" TEXT NOT NULL, "UserId" TEXT NULL, "BirthYear" INTEGER NULL, "Sex" TEXT NULL, "Injury" TEXT NULL, "CreatedAt" INTEGER NOT NULL);
        CREATE INDEX "IX_Athletes_UserId" ON "Athletes" ("UserId");
        CREATE TABLE "ClinicianLinks" ("Id" TEXT NOT NULL PRIMARY KEY, "AthleteId" TEXT NOT NULL REFERENCES "Athletes" ("Id") ON DELETE CASCADE, "ClinicianUserId" TEXT NOT NULL, "CreatedAt" INTEGER NOT NULL, "EndedAt" INTEGER NULL);
        CREATE INDEX "IX_ClinicianLinks_ClinicianUserId" ON "ClinicianLinks" ("ClinicianUserId");
        CREATE INDEX "IX_ClinicianLinks_AthleteId" ON "ClinicianLinks" ("AthleteId");
        CREATE TABLE "Screenings" ("Id" TEXT NOT NULL PRIMARY KEY, "AthleteId" TEXT NOT NULL REFERENCES "Athletes" ("Id") ON DELETE CASCADE, "TakenAt" INTEGER NOT NULL, "AnswersJson" TEXT NOT NULL, "OutcomeJson" TEXT NOT NULL, "Overall" TEXT NOT NULL, "RecordedByUserId" TEXT NOT NULL, "ClearedByUserId" TEXT NULL, "ClearedAt" INTEGER NULL, "ClearanceNote" TEXT NULL);
        CREATE INDEX "IX_Screenings_AthleteId" ON "Screenings" ("AthleteId");
        CREATE TABLE "LopRecords" ("Id" TEXT NOT NULL PRIMARY KEY, "AthleteId" TEXT NOT NULL REFERENCES "Athletes" ("Id") ON DELETE CASCADE, "Limb" TEXT NOT NULL, "Position" TEXT NOT NULL, "CuffWidthCm" REAL NOT NULL, "Method" TEXT NOT NULL, "ValueMmHg" REAL NOT NULL, "UncertaintyMmHg" REAL NOT NULL, "MeasuredAt" INTEGER NOT NULL, "RecordedByUserId" TEXT NOT NULL, "Note" TEXT NULL);
        CREATE INDEX "IX_LopRecords_AthleteId" ON "LopRecords" ("AthleteId", "MeasuredAt");
        CREATE TABLE "Prescriptions" ("Id" TEXT NOT NULL PRIMARY KEY, "AthleteId" TEXT NOT NULL REFERENCES "Athletes" ("Id") ON DELETE CASCADE, "LopRecordId" TEXT NOT NULL REFERENCES "LopRecords" ("Id"), "Limb" TEXT NOT NULL, "Position" TEXT NOT NULL, "Modality" TEXT NOT NULL, "ProtocolName" TEXT NOT NULL, "TargetPercent" REAL NOT NULL, "ReferenceLopMmHg" REAL NOT NULL, "LowMmHg" REAL NOT NULL, "HighMmHg" REAL NOT NULL, "TargetMmHg" REAL NOT NULL, "Conservative" INTEGER NOT NULL, "SessionsPerWeek" INTEGER NOT NULL, "NotesJson" TEXT NOT NULL, "SourcesJson" TEXT NOT NULL, "CreatedAt" INTEGER NOT NULL, "CreatedByUserId" TEXT NOT NULL, "RetiredAt" INTEGER NULL);
        CREATE INDEX "IX_Prescriptions_AthleteId" ON "Prescriptions" ("AthleteId");
        CREATE TABLE "Plans" ("Id" TEXT NOT NULL PRIMARY KEY, "AthleteId" TEXT NOT NULL REFERENCES "Athletes" ("Id") ON DELETE CASCADE, "CreatedAt" INTEGER NOT NULL, "CreatedByUserId" TEXT NOT NULL, "StartDate" TEXT NOT NULL, "Weeks" INTEGER NOT NULL, "InputsJson" TEXT NOT NULL, "PlanJson" TEXT NOT NULL);
        CREATE INDEX "IX_Plans_AthleteId" ON "Plans" ("AthleteId");
        CREATE TABLE "Activities" ("Id" TEXT NOT NULL PRIMARY KEY, "AthleteId" TEXT NOT NULL REFERENCES "Athletes" ("Id") ON DELETE CASCADE, "StartedAt" INTEGER NOT NULL, "Sport" TEXT NOT NULL, "DistanceMeters" REAL NOT NULL, "DurationSeconds" REAL NOT NULL, "AverageHeartRate" REAL NULL, "Rpe" REAL NULL, "SourceFormat" TEXT NOT NULL, "SourceFileName" TEXT NOT NULL, "ContentSha256" TEXT NOT NULL, "ImportedAt" INTEGER NOT NULL);
        CREATE UNIQUE INDEX "IX_Activities_AthleteId_ContentSha256" ON "Activities" ("AthleteId", "ContentSha256");
        CREATE TABLE "Sessions" ("Id" TEXT NOT NULL PRIMARY KEY, "AthleteId" TEXT NOT NULL REFERENCES "Athletes" ("Id") ON DELETE CASCADE, "PrescriptionId" TEXT NULL, "ProtocolName" TEXT NOT NULL, "Simulated" INTEGER NOT NULL, "StartedByUserId" TEXT NOT NULL, "StartedAt" INTEGER NOT NULL, "EndedAt" INTEGER NULL, "EndReason" TEXT NULL);
        CREATE INDEX "IX_Sessions_AthleteId" ON "Sessions" ("AthleteId", "StartedAt");
        CREATE TABLE "SessionEvents" ("Id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "SessionId" TEXT NOT NULL REFERENCES "Sessions" ("Id") ON DELETE CASCADE, "Seq" INTEGER NOT NULL, "At" INTEGER NOT NULL, "Kind" TEXT NOT NULL, "CuffId" TEXT NULL, "Detail" TEXT NULL);
        CREATE UNIQUE INDEX "IX_SessionEvents_SessionId_Seq" ON "SessionEvents" ("SessionId", "Seq");
        CREATE TABLE "TelemetrySamples" ("Id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "SessionId" TEXT NOT NULL REFERENCES "Sessions" ("Id") ON DELETE CASCADE, "CuffId" TEXT NOT NULL, "At" INTEGER NOT NULL, "PressureMmHg" REAL NOT NULL, "TargetMmHg" REAL NOT NULL);
        CREATE INDEX "IX_TelemetrySamples_SessionId_At" ON "TelemetrySamples" ("SessionId", "At");
        CREATE TABLE "AuditLog" ("Id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "At" INTEGER NOT NULL, "ActorUserId" TEXT NOT NULL, "Action" TEXT NOT NULL, "AthleteId" TEXT NULL, "Detail" TEXT NULL);
        CREATE INDEX "IX_AuditLog_AthleteId" ON "AuditLog" ("AthleteId", "At");
        """,
        """
        CREATE TABLE "AspNetRoles" ("Id" text NOT NULL PRIMARY KEY, "Name" text NULL, "NormalizedName" text NULL, "ConcurrencyStamp" text NULL);
        CREATE UNIQUE INDEX "RoleNameIndex" ON "AspNetRoles" ("NormalizedName");
        CREATE TABLE "AspNetUsers" (
          "Id" text NOT NULL PRIMARY KEY, "DisplayName" text NOT NULL DEFAULT '',
          "UserName" text NULL, "NormalizedUserName" text NULL, "Email" text NULL, "NormalizedEmail" text NULL,
          "EmailConfirmed" boolean NOT NULL, "PasswordHash" text NULL, "SecurityStamp" text NULL, "ConcurrencyStamp" text NULL,
          "PhoneNumber" text NULL, "PhoneNumberConfirmed" boolean NOT NULL, "TwoFactorEnabled" boolean NOT NULL,
          "LockoutEnd" bigint NULL, "LockoutEnabled" boolean NOT NULL, "AccessFailedCount" integer NOT NULL);
        CREATE UNIQUE INDEX "UserNameIndex" ON "AspNetUsers" ("NormalizedUserName");
        CREATE INDEX "EmailIndex" ON "AspNetUsers" ("NormalizedEmail");
        CREATE TABLE "AspNetRoleClaims" ("Id" integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "RoleId" text NOT NULL REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE, "ClaimType" text NULL, "ClaimValue" text NULL);
        CREATE TABLE "AspNetUserClaims" ("Id" integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "UserId" text NOT NULL REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE, "ClaimType" text NULL, "ClaimValue" text NULL);
        CREATE TABLE "AspNetUserLogins" ("LoginProvider" text NOT NULL, "ProviderKey" text NOT NULL, "ProviderDisplayName" text NULL, "UserId" text NOT NULL REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE, PRIMARY KEY ("LoginProvider", "ProviderKey"));
        CREATE TABLE "AspNetUserRoles" ("UserId" text NOT NULL REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE, "RoleId" text NOT NULL REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE, PRIMARY KEY ("UserId", "RoleId"));
        CREATE TABLE "AspNetUserTokens" ("UserId" text NOT NULL REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE, "LoginProvider" text NOT NULL, "Name" text NOT NULL, "Value" text NULL, PRIMARY KEY ("UserId", "LoginProvider", "Name"));

        CREATE TABLE "Athletes" ("Id" uuid NOT NULL PRIMARY KEY, "DisplayName" text NOT NULL, "UserId" text NULL, "BirthYear" integer NULL, "Sex" text NULL, "Injury" text NULL, "CreatedAt" bigint NOT NULL);
        CREATE INDEX "IX_Athletes_UserId" ON "Athletes" ("UserId");
        CREATE TABLE "ClinicianLinks" ("Id" uuid NOT NULL PRIMARY KEY, "AthleteId" uuid NOT NULL REFERENCES "Athletes" ("Id") ON DELETE CASCADE, "ClinicianUserId" text NOT NULL, "CreatedAt" bigint NOT NULL, "EndedAt" bigint NULL);
        CREATE INDEX "IX_ClinicianLinks_ClinicianUserId" ON "ClinicianLinks" ("ClinicianUserId");
        CREATE INDEX "IX_ClinicianLinks_AthleteId" ON "ClinicianLinks" ("AthleteId");
        CREATE TABLE "Screenings" ("Id" uuid NOT NULL PRIMARY KEY, "AthleteId" uuid NOT NULL REFERENCES "Athletes" ("Id") ON DELETE CASCADE, "TakenAt" bigint NOT NULL, "AnswersJson" text NOT NULL, "OutcomeJson" text NOT NULL, "Overall" text NOT NULL, "RecordedByUserId" text NOT NULL, "ClearedByUserId" text NULL, "ClearedAt" bigint NULL, "ClearanceNote" text NULL);
        CREATE INDEX "IX_Screenings_AthleteId" ON "Screenings" ("AthleteId");
        CREATE TABLE "LopRecords" ("Id" uuid NOT NULL PRIMARY KEY, "AthleteId" uuid NOT NULL REFERENCES "Athletes" ("Id") ON DELETE CASCADE, "Limb" text NOT NULL, "Position" text NOT NULL, "CuffWidthCm" double precision NOT NULL, "Method" text NOT NULL, "ValueMmHg" double precision NOT NULL, "UncertaintyMmHg" double precision NOT NULL, "MeasuredAt" bigint NOT NULL, "RecordedByUserId" text NOT NULL, "Note" text NULL);
        CREATE INDEX "IX_LopRecords_AthleteId" ON "LopRecords" ("AthleteId", "MeasuredAt");
        CREATE TABLE "Prescriptions" ("Id" uuid NOT NULL PRIMARY KEY, "AthleteId" uuid NOT NULL REFERENCES "Athletes" ("Id") ON DELETE CASCADE, "LopRecordId" uuid NOT NULL REFERENCES "LopRecords" ("Id"), "Limb" text NOT NULL, "Position" text NOT NULL, "Modality" text NOT NULL, "ProtocolName" text NOT NULL, "TargetPercent" double precision NOT NULL, "ReferenceLopMmHg" double precision NOT NULL, "LowMmHg" double precision NOT NULL, "HighMmHg" double precision NOT NULL, "TargetMmHg" double precision NOT NULL, "Conservative" boolean NOT NULL, "SessionsPerWeek" integer NOT NULL, "NotesJson" text NOT NULL, "SourcesJson" text NOT NULL, "CreatedAt" bigint NOT NULL, "CreatedByUserId" text NOT NULL, "RetiredAt" bigint NULL);
        CREATE INDEX "IX_Prescriptions_AthleteId" ON "Prescriptions" ("AthleteId");
        CREATE TABLE "Plans" ("Id" uuid NOT NULL PRIMARY KEY, "AthleteId" uuid NOT NULL REFERENCES "Athletes" ("Id") ON DELETE CASCADE, "CreatedAt" bigint NOT NULL, "CreatedByUserId" text NOT NULL, "StartDate" date NOT NULL, "Weeks" integer NOT NULL, "InputsJson" text NOT NULL, "PlanJson" text NOT NULL);
        CREATE INDEX "IX_Plans_AthleteId" ON "Plans" ("AthleteId");
        CREATE TABLE "Activities" ("Id" uuid NOT NULL PRIMARY KEY, "AthleteId" uuid NOT NULL REFERENCES "Athletes" ("Id") ON DELETE CASCADE, "StartedAt" bigint NOT NULL, "Sport" text NOT NULL, "DistanceMeters" double precision NOT NULL, "DurationSeconds" double precision NOT NULL, "AverageHeartRate" double precision NULL, "Rpe" double precision NULL, "SourceFormat" text NOT NULL, "SourceFileName" text NOT NULL, "ContentSha256" text NOT NULL, "ImportedAt" bigint NOT NULL);
        CREATE UNIQUE INDEX "IX_Activities_AthleteId_ContentSha256" ON "Activities" ("AthleteId", "ContentSha256");
        CREATE TABLE "Sessions" ("Id" uuid NOT NULL PRIMARY KEY, "AthleteId" uuid NOT NULL REFERENCES "Athletes" ("Id") ON DELETE CASCADE, "PrescriptionId" uuid NULL, "ProtocolName" text NOT NULL, "Simulated" boolean NOT NULL, "StartedByUserId" text NOT NULL, "StartedAt" bigint NOT NULL, "EndedAt" bigint NULL, "EndReason" text NULL);
        CREATE INDEX "IX_Sessions_AthleteId" ON "Sessions" ("AthleteId", "StartedAt");
        CREATE TABLE "SessionEvents" ("Id" bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "SessionId" uuid NOT NULL REFERENCES "Sessions" ("Id") ON DELETE CASCADE, "Seq" integer NOT NULL, "At" bigint NOT NULL, "Kind" text NOT NULL, "CuffId" text NULL, "Detail" text NULL);
        CREATE UNIQUE INDEX "IX_SessionEvents_SessionId_Seq" ON "SessionEvents" ("SessionId", "Seq");
        CREATE TABLE "TelemetrySamples" ("Id" bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "SessionId" uuid NOT NULL REFERENCES "Sessions" ("Id") ON DELETE CASCADE, "CuffId" text NOT NULL, "At" bigint NOT NULL, "PressureMmHg" double precision NOT NULL, "TargetMmHg" double precision NOT NULL);
        CREATE INDEX "IX_TelemetrySamples_SessionId_At" ON "TelemetrySamples" ("SessionId", "At");
        CREATE TABLE "AuditLog" ("Id" bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "At" bigint NOT NULL, "ActorUserId" text NOT NULL, "Action" text NOT NULL, "AthleteId" uuid NULL, "Detail" text NULL);
        CREATE INDEX "IX_AuditLog_AthleteId" ON "AuditLog" ("AthleteId", "At");
        """);

    // Version 2: a private calendar-feed secret per athlete (existing athletes get a fresh random
    // one), and a heartbeat per session so a session whose server died shows as interrupted
    // (existing sessions take their last known time).
    private static SchemaMigration V2CalendarAndHeartbeat => new(2, "calendar feed token per athlete; session heartbeat and node",
        """
        ALTER TABLE "Athletes" ADD COLUMN "CalendarToken" TEXT NOT NULL DEFAULT '';
        UPDATE "Athletes" SET "CalendarToken" = lower(hex(randomblob(20)));
        CREATE UNIQUE INDEX "IX_Athletes_CalendarToken" ON "Athletes" ("CalendarToken");
        ALTER TABLE "Sessions" ADD COLUMN "LastHeartbeatAt" INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE "Sessions" ADD COLUMN "NodeId" TEXT NULL;
        UPDATE "Sessions" SET "LastHeartbeatAt" = COALESCE("EndedAt", "StartedAt");
        """,
        """
        ALTER TABLE "Athletes" ADD COLUMN "CalendarToken" text NOT NULL DEFAULT '';
        UPDATE "Athletes" SET "CalendarToken" = replace(gen_random_uuid()::text, '-', '') || substr(replace(gen_random_uuid()::text, '-', ''), 1, 8);
        ALTER TABLE "Athletes" ALTER COLUMN "CalendarToken" DROP DEFAULT;
        CREATE UNIQUE INDEX "IX_Athletes_CalendarToken" ON "Athletes" ("CalendarToken");
        ALTER TABLE "Sessions" ADD COLUMN "LastHeartbeatAt" bigint NOT NULL DEFAULT 0;
        ALTER TABLE "Sessions" ADD COLUMN "NodeId" text NULL;
        UPDATE "Sessions" SET "LastHeartbeatAt" = COALESCE("EndedAt", "StartedAt");
        ALTER TABLE "Sessions" ALTER COLUMN "LastHeartbeatAt" DROP DEFAULT;
        """);
    // Version 3: strength and hop tests (1RM estimates and limb symmetry), and a clinician's
    // clearance per screening item and limb. Older screenings keep their one-note clearance
    // columns, which the app still reads for screenings cleared before version 3.
    private static SchemaMigration V3StrengthTestsAndClearances => new(3, "strength and hop tests; per-item screening clearances",
        """
        CREATE TABLE "StrengthTests" ("Id" TEXT NOT NULL PRIMARY KEY, "AthleteId" TEXT NOT NULL REFERENCES "Athletes" ("Id") ON DELETE CASCADE, "TestedOn" TEXT NOT NULL, "Exercise" TEXT NOT NULL, "Limb" TEXT NULL, "Involved" INTEGER NOT NULL, "LoadKg" REAL NULL, "Reps" INTEGER NULL, "MeasuredOneRepMaxKg" REAL NULL, "HopDistanceCm" REAL NULL, "PainScore" INTEGER NULL, "StageClearance" INTEGER NULL, "RecordedByUserId" TEXT NOT NULL, "RecordedAt" INTEGER NOT NULL, "Note" TEXT NULL);
        CREATE INDEX "IX_StrengthTests_AthleteId_TestedOn" ON "StrengthTests" ("AthleteId", "TestedOn");
        CREATE TABLE "ScreeningClearances" ("Id" TEXT NOT NULL PRIMARY KEY, "AthleteId" TEXT NOT NULL REFERENCES "Athletes" ("Id") ON DELETE CASCADE, "ScreeningId" TEXT NOT NULL REFERENCES "Screenings" ("Id") ON DELETE CASCADE, "ItemId" TEXT NOT NULL, "Limb" TEXT NULL, "ClinicianUserId" TEXT NOT NULL, "ClinicianName" TEXT NOT NULL, "ClearedOn" TEXT NOT NULL, "RecordedAt" INTEGER NOT NULL, "Note" TEXT NULL);
        CREATE INDEX "IX_ScreeningClearances_ScreeningId" ON "ScreeningClearances" ("ScreeningId");
        CREATE INDEX "IX_ScreeningClearances_AthleteId" ON "ScreeningClearances" ("AthleteId");
        """,
        """
        CREATE TABLE "StrengthTests" ("Id" uuid NOT NULL PRIMARY KEY, "AthleteId" uuid NOT NULL REFERENCES "Athletes" ("Id") ON DELETE CASCADE, "TestedOn" date NOT NULL, "Exercise" text NOT NULL, "Limb" text NULL, "Involved" boolean NOT NULL, "LoadKg" double precision NULL, "Reps" integer NULL, "MeasuredOneRepMaxKg" double precision NULL, "HopDistanceCm" double precision NULL, "PainScore" integer NULL, "StageClearance" boolean NULL, "RecordedByUserId" text NOT NULL, "RecordedAt" bigint NOT NULL, "Note" text NULL);
        CREATE INDEX "IX_StrengthTests_AthleteId_TestedOn" ON "StrengthTests" ("AthleteId", "TestedOn");
        CREATE TABLE "ScreeningClearances" ("Id" uuid NOT NULL PRIMARY KEY, "AthleteId" uuid NOT NULL REFERENCES "Athletes" ("Id") ON DELETE CASCADE, "ScreeningId" uuid NOT NULL REFERENCES "Screenings" ("Id") ON DELETE CASCADE, "ItemId" text NOT NULL, "Limb" text NULL, "ClinicianUserId" text NOT NULL, "ClinicianName" text NOT NULL, "ClearedOn" date NOT NULL, "RecordedAt" bigint NOT NULL, "Note" text NULL);
        CREATE INDEX "IX_ScreeningClearances_ScreeningId" ON "ScreeningClearances" ("ScreeningId");
        CREATE INDEX "IX_ScreeningClearances_AthleteId" ON "ScreeningClearances" ("AthleteId");
        """);

    // Version 4: stop and symptom reports sent to a web node that does not run the session; the
    // running node polls its pending ones (partial index) and marks them applied.
    private static SchemaMigration V4SessionCommands => new(4, "session commands relayed between web nodes",
        """
        CREATE TABLE "SessionCommands" ("Id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "SessionId" TEXT NOT NULL REFERENCES "Sessions" ("Id") ON DELETE CASCADE, "TargetNodeId" TEXT NOT NULL, "Kind" TEXT NOT NULL, "Symptom" TEXT NULL, "Pain" INTEGER NULL, "RequestedByUserId" TEXT NOT NULL, "RequestedOnNodeId" TEXT NOT NULL, "RequestedAt" INTEGER NOT NULL, "AppliedAt" INTEGER NULL, "Outcome" TEXT NULL);
        CREATE INDEX "IX_SessionCommands_Pending" ON "SessionCommands" ("TargetNodeId") WHERE "AppliedAt" IS NULL;
        CREATE INDEX "IX_SessionCommands_SessionId" ON "SessionCommands" ("SessionId");
        """,
        """
        CREATE TABLE "SessionCommands" ("Id" bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "SessionId" uuid NOT NULL REFERENCES "Sessions" ("Id") ON DELETE CASCADE, "TargetNodeId" text NOT NULL, "Kind" text NOT NULL, "Symptom" text NULL, "Pain" integer NULL, "RequestedByUserId" text NOT NULL, "RequestedOnNodeId" text NOT NULL, "RequestedAt" bigint NOT NULL, "AppliedAt" bigint NULL, "Outcome" text NULL);
        CREATE INDEX "IX_SessionCommands_Pending" ON "SessionCommands" ("TargetNodeId") WHERE "AppliedAt" IS NULL;
        CREATE INDEX "IX_SessionCommands_SessionId" ON "SessionCommands" ("SessionId");
        """);

    // Version 5: strength tests and clearances can be corrected; the row keeps who last changed it
    // and when (the audit log keeps every edit and deletion). Existing rows were never edited: NULL.
    private static SchemaMigration V5CorrectionStamps => new(5, "who and when last corrected a strength test or a clearance",
        """
        ALTER TABLE "StrengthTests" ADD COLUMN "UpdatedAt" INTEGER NULL;
        ALTER TABLE "StrengthTests" ADD COLUMN "UpdatedByUserId" TEXT NULL;
        ALTER TABLE "ScreeningClearances" ADD COLUMN "UpdatedAt" INTEGER NULL;
        ALTER TABLE "ScreeningClearances" ADD COLUMN "UpdatedByUserId" TEXT NULL;
        """,
        """
        ALTER TABLE "StrengthTests" ADD COLUMN "UpdatedAt" bigint NULL;
        ALTER TABLE "StrengthTests" ADD COLUMN "UpdatedByUserId" text NULL;
        ALTER TABLE "ScreeningClearances" ADD COLUMN "UpdatedAt" bigint NULL;
        ALTER TABLE "ScreeningClearances" ADD COLUMN "UpdatedByUserId" text NULL;
        """);

    // Version 6: a correction, deletion or revocation keeps the whole earlier row (JSON) with who
    // changed it and when, in the same transaction; each row gets a version number that an edit
    // must name (optimistic concurrency). Rows from before start at version 1: what a version-5
    // correction overwrote was not kept, and cannot be recovered here.
    private static SchemaMigration V6RevisionsAndVersions => new(6, "revision history of strength tests and clearances; row versions",
        """
        ALTER TABLE "StrengthTests" ADD COLUMN "Version" INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE "ScreeningClearances" ADD COLUMN "Version" INTEGER NOT NULL DEFAULT 1;
        CREATE TABLE "RecordRevisions" ("Id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "AthleteId" TEXT NOT NULL REFERENCES "Athletes" ("Id") ON DELETE CASCADE, "RecordKind" TEXT NOT NULL, "RecordId" TEXT NOT NULL, "Version" INTEGER NOT NULL, "Change" TEXT NOT NULL, "SnapshotJson" TEXT NOT NULL, "ChangedByUserId" TEXT NOT NULL, "ChangedAt" INTEGER NOT NULL);
        CREATE UNIQUE INDEX "IX_RecordRevisions_Record" ON "RecordRevisions" ("RecordKind", "RecordId", "Version");
        CREATE INDEX "IX_RecordRevisions_AthleteId" ON "RecordRevisions" ("AthleteId", "RecordKind", "Change");
        """,
        """
        ALTER TABLE "StrengthTests" ADD COLUMN "Version" integer NOT NULL DEFAULT 1;
        ALTER TABLE "ScreeningClearances" ADD COLUMN "Version" integer NOT NULL DEFAULT 1;
        CREATE TABLE "RecordRevisions" ("Id" bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "AthleteId" uuid NOT NULL REFERENCES "Athletes" ("Id") ON DELETE CASCADE, "RecordKind" text NOT NULL, "RecordId" uuid NOT NULL, "Version" integer NOT NULL, "Change" text NOT NULL, "SnapshotJson" text NOT NULL, "ChangedByUserId" text NOT NULL, "ChangedAt" bigint NOT NULL);
        CREATE UNIQUE INDEX "IX_RecordRevisions_Record" ON "RecordRevisions" ("RecordKind", "RecordId", "Version");
        CREATE INDEX "IX_RecordRevisions_AthleteId" ON "RecordRevisions" ("AthleteId", "RecordKind", "Change");
        """);

    // Version 7: the running node stores the live status (phase, countdown, latest readings) with
    // each append, so a web node that does not run the session can relay it to its watchers.
    private static SchemaMigration V7LiveStatus => new(7, "live status of a running session, for watchers on other web nodes",
        """
        ALTER TABLE "Sessions" ADD COLUMN "LiveStatusJson" TEXT NULL;
        """,
        """
        ALTER TABLE "Sessions" ADD COLUMN "LiveStatusJson" text NULL;
        """);

    // Version 8: the 6 m timed hop records a time, seconds (lower is better), beside the hop tests
    // for distance. Existing rows are load or distance results: NULL.
    private static SchemaMigration V8HopTime => new(8, "6 m timed hop: a hop time in seconds on a strength test",
        """
        ALTER TABLE "StrengthTests" ADD COLUMN "HopTimeSeconds" REAL NULL;
        """,
        """
        ALTER TABLE "StrengthTests" ADD COLUMN "HopTimeSeconds" double precision NULL;
        """);

    // Version 9: a LOP record can be corrected (versions kept in RecordRevisions, as strength tests
    // since version 6) or withdrawn (the row stays, marked, for its history and the prescriptions made
    // from it); a correction recomputes the prescriptions made from it, each with a version of its own,
    // and a withdrawal retires them with the reason. Rows from before: version 1, recorded when they
    // were measured (the closest time known), never corrected, not withdrawn; prescriptions retired
    // before were replaced by a newer one, which needs no reason.
    private static SchemaMigration V9LopCorrections => new(9, "LOP records corrected or withdrawn, with versions; prescriptions recomputed or retired with a reason",
        """
        ALTER TABLE "LopRecords" ADD COLUMN "RecordedAt" INTEGER NOT NULL DEFAULT 0;
        UPDATE "LopRecords" SET "RecordedAt" = "MeasuredAt";
        ALTER TABLE "LopRecords" ADD COLUMN "UpdatedAt" INTEGER NULL;
        ALTER TABLE "LopRecords" ADD COLUMN "UpdatedByUserId" TEXT NULL;
        ALTER TABLE "LopRecords" ADD COLUMN "Version" INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE "LopRecords" ADD COLUMN "WithdrawnAt" INTEGER NULL;
        ALTER TABLE "LopRecords" ADD COLUMN "WithdrawnByUserId" TEXT NULL;
        ALTER TABLE "LopRecords" ADD COLUMN "WithdrawalReason" TEXT NULL;
        ALTER TABLE "Prescriptions" ADD COLUMN "RetiredReason" TEXT NULL;
        ALTER TABLE "Prescriptions" ADD COLUMN "UpdatedAt" INTEGER NULL;
        ALTER TABLE "Prescriptions" ADD COLUMN "UpdatedByUserId" TEXT NULL;
        ALTER TABLE "Prescriptions" ADD COLUMN "Version" INTEGER NOT NULL DEFAULT 1;
        CREATE INDEX "IX_Prescriptions_LopRecordId" ON "Prescriptions" ("LopRecordId");
        """,
        """
        ALTER TABLE "LopRecords" ADD COLUMN "RecordedAt" bigint NOT NULL DEFAULT 0;
        UPDATE "LopRecords" SET "RecordedAt" = "MeasuredAt";
        ALTER TABLE "LopRecords" ALTER COLUMN "RecordedAt" DROP DEFAULT;
        ALTER TABLE "LopRecords" ADD COLUMN "UpdatedAt" bigint NULL;
        ALTER TABLE "LopRecords" ADD COLUMN "UpdatedByUserId" text NULL;
        ALTER TABLE "LopRecords" ADD COLUMN "Version" integer NOT NULL DEFAULT 1;
        ALTER TABLE "LopRecords" ADD COLUMN "WithdrawnAt" bigint NULL;
        ALTER TABLE "LopRecords" ADD COLUMN "WithdrawnByUserId" text NULL;
        ALTER TABLE "LopRecords" ADD COLUMN "WithdrawalReason" text NULL;
        ALTER TABLE "Prescriptions" ADD COLUMN "RetiredReason" text NULL;
        ALTER TABLE "Prescriptions" ADD COLUMN "UpdatedAt" bigint NULL;
        ALTER TABLE "Prescriptions" ADD COLUMN "UpdatedByUserId" text NULL;
        ALTER TABLE "Prescriptions" ADD COLUMN "Version" integer NOT NULL DEFAULT 1;
        CREATE INDEX "IX_Prescriptions_LopRecordId" ON "Prescriptions" ("LopRecordId");
        """);
}
