using Kuulo.Core.Protocol;
using Microsoft.Extensions.Options;

namespace Kuulo.Companion.Options;

/// <summary>
/// Refuses, at start, ingestion settings that would stall or unbound it: the limits that hold the companion's
/// memory while it drains a backlog (see the README's memory bound).
/// </summary>
public sealed class IngestOptionsValidation : IValidateOptions<KuuloOptions>
{
    public ValidateOptionsResult Validate(string? name, KuuloOptions options)
    {
        var errors = new List<string>();
        if (options.IngestBatchSize is < 1 or > 50_000)
        {
            errors.Add($"Kuulo:IngestBatchSize must be 1 to 50000 (got {options.IngestBatchSize})");
        }

        // Fewer pending messages than a batch would write every batch short; a million is already ~1.5 GB.
        if (options.IngestMaxPendingMessages < options.IngestBatchSize || options.IngestMaxPendingMessages > 1_000_000)
        {
            errors.Add($"Kuulo:IngestMaxPendingMessages must be from Kuulo:IngestBatchSize ({options.IngestBatchSize}) to 1000000 (got {options.IngestMaxPendingMessages})");
        }

        long smallest = 16L * Topics.MaxPayloadBytes;
        if (options.IngestMaxPendingBytes < smallest || options.IngestMaxPendingBytes > 4L << 30)
        {
            errors.Add($"Kuulo:IngestMaxPendingBytes must be from {smallest} to 4 GiB (got {options.IngestMaxPendingBytes})");
        }

        if (options.Broker.ReceiveMaximum is < 1 or > ushort.MaxValue)
        {
            errors.Add($"Kuulo:Broker:ReceiveMaximum must be 1 to 65535 (got {options.Broker.ReceiveMaximum})");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
