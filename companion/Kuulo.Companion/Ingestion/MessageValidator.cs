using System.Text;
using Kuulo.Companion.Registry;
using Kuulo.Companion.Storage;
using Kuulo.Core.Protocol;

namespace Kuulo.Companion.Ingestion;

/// <summary>
/// Decides what an incoming device message is: a call, alert, status or config report to store, or a dead
/// letter with the reason it was refused. Nothing here throws on bad input.
/// </summary>
public sealed class MessageValidator(DeviceDirectory devices, DeadLetterCap cap, IngestMetrics metrics, TimeProvider clock)
{
    /// <summary>What is kept of a refused payload, for whoever investigates.</summary>
    public const int KeptPayloadChars = 1024;

    /// <param name="clientId">The authenticated MQTT client, when the broker tells us (embedded broker); null otherwise.</param>
    public async Task<IngestItem> ValidateAsync(string topic, ReadOnlyMemory<byte> payload, string? clientId)
    {
        var item = await ClassifyAsync(topic, payload, clientId);
        if (item is DeadLetterItem dead && !cap.Admit(dead.DeviceId))
        {
            metrics.CountDeadLetterDropped();
            return dead with { Stored = false };
        }

        return item;
    }

    private async Task<IngestItem> ClassifyAsync(string topic, ReadOnlyMemory<byte> payload, string? clientId)
    {
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (!Topics.TryParse(topic, out var deviceId, out var leaf))
        {
            return Dead(clientId ?? "", "not a Kuulo device topic");
        }

        if (clientId != null && clientId != deviceId)
        {
            return Dead(deviceId, $"client '{clientId}' may not publish for device '{deviceId}'");
        }

        if (payload.Length > Topics.MaxPayloadBytes)
        {
            return Dead(deviceId, $"payload is {payload.Length} bytes, more than the {Topics.MaxPayloadBytes} allowed");
        }

        string json;
        try
        {
            json = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(payload.Span);
        }
        catch (DecoderFallbackException)
        {
            return Dead(deviceId, "payload is not UTF-8 text");
        }

        var device = await devices.FindAsync(deviceId);
        if (device == null)
        {
            return Dead(deviceId, $"unknown device '{deviceId}'", json);
        }

        if (device.Disabled)
        {
            return Dead(deviceId, $"device '{deviceId}' is disabled", json);
        }

        string? error;
        switch (leaf)
        {
            case Topics.Call:
                var call = CallSummary.Parse(json, out error);
                return call != null ? new CallItem(deviceId, now, call, device) : Dead(deviceId, "call summary rejected: " + error, json);
            case Topics.Alert:
                var alert = AlertMessage.Parse(json, out error);
                return alert != null ? new AlertItem(deviceId, now, alert, device) : Dead(deviceId, "alert rejected: " + error, json);
            case Topics.Status:
                var status = StatusMessage.Parse(json, out error);
                return status != null ? new StatusItem(deviceId, now, status) : Dead(deviceId, "status rejected: " + error, json);
            case Topics.ConfigReported:
                var report = ConfigReport.Parse(json, out error);
                return report != null ? new ReportItem(deviceId, now, report) : Dead(deviceId, "config report rejected: " + error, json);
            case Topics.Calibration:
                var levels = CalibrationReport.Parse(json, out error);
                return levels != null ? new CalibrationItem(deviceId, now, levels) : Dead(deviceId, "calibration report rejected: " + error, json);
            case Topics.OtaReport:
                var ota = OtaReport.Parse(json, out error);
                return ota != null ? new OtaReportItem(deviceId, now, ota) : Dead(deviceId, "firmware report rejected: " + error, json);
            default:
                return Dead(deviceId, $"devices do not publish on '{leaf}'", json);
        }

        DeadLetterItem Dead(string device, string reason, string? text = null) =>
            new(device, now, topic, clientId, reason, Truncate(text ?? Encoding.UTF8.GetString(payload.Span[..Math.Min(payload.Length, KeptPayloadChars * 4)])));
    }

    private static string Truncate(string text) => text.Length <= KeptPayloadChars ? text : text[..KeptPayloadChars] + "…";
}
