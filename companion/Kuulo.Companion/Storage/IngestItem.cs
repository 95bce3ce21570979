using Kuulo.Core.Protocol;

namespace Kuulo.Companion.Storage;

/// <summary>A validated device message on its way to the database, or a rejected one for the dead-letter table.</summary>
public abstract record IngestItem(string DeviceId, long ReceivedMs);

public sealed record CallItem(string DeviceId, long ReceivedMs, CallSummary Summary, DeviceRecord Device) : IngestItem(DeviceId, ReceivedMs);

public sealed record AlertItem(string DeviceId, long ReceivedMs, AlertMessage Alert, DeviceRecord Device) : IngestItem(DeviceId, ReceivedMs);

public sealed record StatusItem(string DeviceId, long ReceivedMs, StatusMessage Status) : IngestItem(DeviceId, ReceivedMs);

public sealed record ReportItem(string DeviceId, long ReceivedMs, ConfigReport Report) : IngestItem(DeviceId, ReceivedMs);

public sealed record CalibrationItem(string DeviceId, long ReceivedMs, CalibrationReport Report) : IngestItem(DeviceId, ReceivedMs);

public sealed record OtaReportItem(string DeviceId, long ReceivedMs, OtaReport Report) : IngestItem(DeviceId, ReceivedMs);

/// <param name="Stored">False once the device is over its dead-letter cap: the message is refused but not kept.</param>
public sealed record DeadLetterItem(string DeviceId, long ReceivedMs, string Topic, string? ClientId, string Reason, string Payload, bool Stored = true)
    : IngestItem(DeviceId, ReceivedMs);
