using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using OpenBfr.Data.Activities;
using OpenBfr.Data.Athletes;
using OpenBfr.Data.Audit;
using OpenBfr.Data.Lop;
using OpenBfr.Data.Plans;
using OpenBfr.Data.Prescriptions;
using OpenBfr.Data.Revisions;
using OpenBfr.Data.Schema;
using OpenBfr.Data.Screening;
using OpenBfr.Data.Sessions;
using OpenBfr.Data.Strength;

namespace OpenBfr.Data;

/// <summary>
/// The OpenBFR records. The schema is created and upgraded by <see cref="SchemaMigrator"/>'s
/// hand-written, versioned SQL (the EF design-time tools are not available here); this model
/// only maps onto it, and a test checks every mapped column exists on both providers.
/// </summary>
public sealed class OpenBfrDbContext(DbContextOptions<OpenBfrDbContext> options) : DbContext(options)
{
    public DbSet<Athlete> Athletes => Set<Athlete>();

    public DbSet<ClinicianLink> ClinicianLinks => Set<ClinicianLink>();

    public DbSet<ScreeningRecord> Screenings => Set<ScreeningRecord>();

    public DbSet<LopRecord> LopRecords => Set<LopRecord>();

    public DbSet<PrescriptionRecord> Prescriptions => Set<PrescriptionRecord>();

    public DbSet<PlanRecord> Plans => Set<PlanRecord>();

    public DbSet<ActivityRecord> Activities => Set<ActivityRecord>();

    public DbSet<SessionRecord> Sessions => Set<SessionRecord>();

    public DbSet<SessionEvent> SessionEvents => Set<SessionEvent>();

    public DbSet<TelemetrySample> TelemetrySamples => Set<TelemetrySample>();

    public DbSet<SessionCommand> SessionCommands => Set<SessionCommand>();

    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();

    public DbSet<StrengthTestRecord> StrengthTests => Set<StrengthTestRecord>();

    public DbSet<ScreeningClearanceRecord> ScreeningClearances => Set<ScreeningClearanceRecord>();

    /// <summary>Earlier versions of corrected, deleted or revoked strength tests and clearances, of corrected or withdrawn LOP records, and of recomputed prescriptions.</summary>
    public DbSet<RecordRevision> RecordRevisions => Set<RecordRevision>();

    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        TimestampConventions.Apply(builder);
        // Enums as their names: readable in the database and safe against reordering.
        builder.Properties<Enum>().HaveConversion<string>();
    }

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<Athlete>().ToTable("Athletes");
        model.Entity<ClinicianLink>().ToTable("ClinicianLinks");
        model.Entity<ScreeningRecord>().ToTable("Screenings");
        model.Entity<LopRecord>().ToTable("LopRecords");
        model.Entity<PrescriptionRecord>().ToTable("Prescriptions");
        model.Entity<PlanRecord>().ToTable("Plans");
        model.Entity<ActivityRecord>().ToTable("Activities");
        model.Entity<SessionRecord>().ToTable("Sessions");
        model.Entity<SessionEvent>().ToTable("SessionEvents");
        model.Entity<TelemetrySample>().ToTable("TelemetrySamples");
        model.Entity<SessionCommand>().ToTable("SessionCommands");
        model.Entity<AuditEntry>().ToTable("AuditLog");
        model.Entity<StrengthTestRecord>().ToTable("StrengthTests");
        model.Entity<ScreeningClearanceRecord>().ToTable("ScreeningClearances");
        model.Entity<RecordRevision>().ToTable("RecordRevisions");

        // Optimistic concurrency: an UPDATE or DELETE names the version it read, so a row changed in
        // between (by another request, another node) updates nothing and SaveChanges throws.
        model.Entity<StrengthTestRecord>().Property(x => x.Version).IsConcurrencyToken();
        model.Entity<ScreeningClearanceRecord>().Property(x => x.Version).IsConcurrencyToken();
        model.Entity<LopRecord>().Property(x => x.Version).IsConcurrencyToken();
        model.Entity<PrescriptionRecord>().Property(x => x.Version).IsConcurrencyToken();

        // The relationships the SQL declares, so EF orders inserts and deletes to match.
        model.Entity<ClinicianLink>().HasOne<Athlete>().WithMany().HasForeignKey(x => x.AthleteId).OnDelete(DeleteBehavior.Cascade);
        model.Entity<ScreeningRecord>().HasOne<Athlete>().WithMany().HasForeignKey(x => x.AthleteId).OnDelete(DeleteBehavior.Cascade);
        model.Entity<LopRecord>().HasOne<Athlete>().WithMany().HasForeignKey(x => x.AthleteId).OnDelete(DeleteBehavior.Cascade);
        model.Entity<PrescriptionRecord>().HasOne<Athlete>().WithMany().HasForeignKey(x => x.AthleteId).OnDelete(DeleteBehavior.Cascade);
        model.Entity<PrescriptionRecord>().HasOne<LopRecord>().WithMany().HasForeignKey(x => x.LopRecordId).OnDelete(DeleteBehavior.Restrict);
        model.Entity<PlanRecord>().HasOne<Athlete>().WithMany().HasForeignKey(x => x.AthleteId).OnDelete(DeleteBehavior.Cascade);
        model.Entity<ActivityRecord>().HasOne<Athlete>().WithMany().HasForeignKey(x => x.AthleteId).OnDelete(DeleteBehavior.Cascade);
        model.Entity<SessionRecord>().HasOne<Athlete>().WithMany().HasForeignKey(x => x.AthleteId).OnDelete(DeleteBehavior.Cascade);
        model.Entity<SessionEvent>().HasOne<SessionRecord>().WithMany().HasForeignKey(x => x.SessionId).OnDelete(DeleteBehavior.Cascade);
        model.Entity<TelemetrySample>().HasOne<SessionRecord>().WithMany().HasForeignKey(x => x.SessionId).OnDelete(DeleteBehavior.Cascade);
        model.Entity<SessionCommand>().HasOne<SessionRecord>().WithMany().HasForeignKey(x => x.SessionId).OnDelete(DeleteBehavior.Cascade);
        model.Entity<StrengthTestRecord>().HasOne<Athlete>().WithMany().HasForeignKey(x => x.AthleteId).OnDelete(DeleteBehavior.Cascade);
        model.Entity<ScreeningClearanceRecord>().HasOne<Athlete>().WithMany().HasForeignKey(x => x.AthleteId).OnDelete(DeleteBehavior.Cascade);
        model.Entity<ScreeningClearanceRecord>().HasOne<ScreeningRecord>().WithMany().HasForeignKey(x => x.ScreeningId).OnDelete(DeleteBehavior.Cascade);
        model.Entity<RecordRevision>().HasOne<Athlete>().WithMany().HasForeignKey(x => x.AthleteId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// Timestamps are stored as Unix milliseconds (a 64-bit integer) on both providers: SQLite
/// cannot order or compare DateTimeOffset values in SQL, and one representation keeps the
/// hand-written migrations identical in meaning.
/// </summary>
public static class TimestampConventions
{
    /// <summary>Applies the conversion to every DateTimeOffset property of a model.</summary>
    public static void Apply(ModelConfigurationBuilder builder)
    {
        builder.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();
        builder.Properties<DateTimeOffset?>().HaveConversion<UnixMillisecondsConverter>();
    }

    /// <summary>DateTimeOffset ⇄ Unix milliseconds (UTC).</summary>
    public sealed class UnixMillisecondsConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.ToUnixTimeMilliseconds(),
        v => DateTimeOffset.FromUnixTimeMilliseconds(v));
}
