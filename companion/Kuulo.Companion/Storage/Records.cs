namespace Kuulo.Companion.Storage;

/// <summary>A registered desk unit and what it last said about itself.</summary>
public sealed class DeviceRecord
{
    public string Id { get; set; } = "";
    public string Site { get; set; } = "";
    public string Team { get; set; } = "";
    public string Desk { get; set; } = "";
    public string Agent { get; set; } = "";
    public string PasswordHash { get; set; } = "";
    public long CreatedMs { get; set; }

    /// <summary>A disabled device may not sign in, and whatever reaches the companion from it is dead-lettered.</summary>
    public bool Disabled { get; set; }
    public bool Online { get; set; }
    public long? LastSeenMs { get; set; }
    public string? Firmware { get; set; }
    public int? Rssi { get; set; }
    public int? FreeHeap { get; set; }
    public int? UptimeS { get; set; }
    public int? Queued { get; set; }
    public int? Dropped { get; set; }
    public bool InCall { get; set; }
    public int DesiredVersion { get; set; }
    public string? DesiredConfig { get; set; }

    /// <summary>JSON object of the parameters set for this device alone, on top of its fleet, site and team layers.</summary>
    public string? ConfigOverrides { get; set; }
    public int? ReportedVersion { get; set; }
    public int? RejectedVersion { get; set; }
    public string? RejectedError { get; set; }
}

/// <summary>One stored call summary, with the agent, team and site it was assigned to when it arrived.</summary>
public sealed class CallRow
{
    public string DeviceId { get; set; } = "";
    public long Seq { get; set; }
    public int CallNumber { get; set; }
    public string Agent { get; set; } = "";
    public string Team { get; set; } = "";
    public string Site { get; set; } = "";
    public long StartMs { get; set; }
    public long ReceivedMs { get; set; }
    public DateTimeOffset Start => DateTimeOffset.FromUnixTimeMilliseconds(StartMs);
    public DateTimeOffset Received => DateTimeOffset.FromUnixTimeMilliseconds(ReceivedMs);
    public int Cfg { get; set; }
    public int DurMs { get; set; }
    public int AgentMs { get; set; }
    public int CustMs { get; set; }
    public int OverlapMs { get; set; }
    public int HoldMs { get; set; }
    public int Interruptions { get; set; }
    public int Backchannels { get; set; }
    public int CustOverlaps { get; set; }
    public int DeadAirN { get; set; }
    public int DeadAirMs { get; set; }
    public int DeadAirMaxMs { get; set; }
    public int Monologues { get; set; }
    public int AgentTurnMaxMs { get; set; }
    public int CustTurnMaxMs { get; set; }
    public int GapN { get; set; }
    public int GapMedMs { get; set; }
    public int TalkRatioPm { get; set; }
    public int Alerts { get; set; }
}

public sealed class AlertRow
{
    public string DeviceId { get; set; } = "";
    public long Seq { get; set; }
    public int CallNumber { get; set; }
    public string Agent { get; set; } = "";
    public string Team { get; set; } = "";
    public string Site { get; set; } = "";
    public long TsMs { get; set; }
    public int AtMs { get; set; }
    public string Type { get; set; } = "";
    public int Stage { get; set; }
    public long ReceivedMs { get; set; }
    public DateTimeOffset Ts => DateTimeOffset.FromUnixTimeMilliseconds(TsMs);
    public DateTimeOffset Received => DateTimeOffset.FromUnixTimeMilliseconds(ReceivedMs);
}

public sealed class DeadLetterRow
{
    public long Id { get; set; }
    public long ReceivedMs { get; set; }
    public DateTimeOffset Received => DateTimeOffset.FromUnixTimeMilliseconds(ReceivedMs);
    public string Topic { get; set; } = "";
    public string? ClientId { get; set; }
    public string Reason { get; set; } = "";
    public string Payload { get; set; } = "";
}

/// <summary>Figures for one agent, team or site over one period (local days of its site), derived from rollup sums.</summary>
public sealed class AggregateRow
{
    public string Key { get; set; } = "";

    /// <summary>The period's first local day.</summary>
    public DateOnly PeriodStart { get; set; }
    public long Calls { get; set; }
    public double InterruptionsPerCall { get; set; }
    public double DeadAirSecondsPerCall { get; set; }
    public double BackchannelsPerCall { get; set; }
    public double AgentTalkShare { get; set; }
    public double OverlapShare { get; set; }

    /// <summary>Median over the calls of each call's median response gap, from the rollups' histogram.</summary>
    public double ResponseGapSeconds { get; set; }
    public double AlertsPerCall { get; set; }
    public double AverageCallSeconds { get; set; }
    public double HoldSecondsPerCall { get; set; }

    /// <summary>The same key's figures over the period before, for period-over-period change; null when it had no calls.</summary>
    public AggregateRow? Previous { get; set; }
}

/// <summary>
/// A run of sequence numbers a device used but the companion never received. <paramref name="Jump"/>: more are
/// missing than a device could plausibly have lost (see KuuloOptions.GapWarningWindow), so the numbering jumped
/// (a reset device, or a forged seq) rather than messages going astray.
/// </summary>
public sealed record SequenceGap(long From, long To, long Missing, bool Jump);

public sealed record CallFilter(string? DeviceId, string? Agent, string? Team, string? Site, long? FromMs, long? ToMs, int Limit);
