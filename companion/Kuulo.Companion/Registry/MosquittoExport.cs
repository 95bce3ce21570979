using System.Text;
using Kuulo.Companion.Options;
using Kuulo.Companion.Storage;
using Kuulo.Core.Protocol;

namespace Kuulo.Companion.Registry;

/// <summary>
/// Password and ACL files for running the devices against an external Mosquitto: the same credentials and the
/// same topic rules the embedded broker enforces.
/// </summary>
public static class MosquittoExport
{
    /// <summary>One line per user: devices under reserved names (registered before they were reserved) are left out.</summary>
    public static string PasswordFile(IEnumerable<DeviceRecord> devices, BrokerOptions broker)
    {
        var lines = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var device in devices.Where(d => !ReservedNames.IsReserved(d.Id, broker)))
        {
            lines[device.Id] = device.PasswordHash;
        }

        if (broker.Password != null)
        {
            lines[broker.Username] = PasswordHash.Hash(broker.Password);
        }

        var text = new StringBuilder();
        foreach (var (user, hash) in lines)
        {
            text.Append(user).Append(':').Append(hash).Append('\n');
        }

        return text.ToString();
    }

    public static string AclFile(string companionUser) =>
        $"""
        # Kuulo topic rules. Each device (user name = device id) may only write its own reports and read its own
        # configuration and commands.
        pattern write {Topics.Root}%u/{Topics.Status}
        pattern write {Topics.Root}%u/{Topics.Call}
        pattern write {Topics.Root}%u/{Topics.Alert}
        pattern write {Topics.Root}%u/{Topics.ConfigReported}
        pattern read {Topics.Root}%u/{Topics.ConfigDesired}
        pattern read {Topics.Root}%u/{Topics.Command}

        # The companion reads every device's reports and writes configuration and commands.
        user {companionUser}
        topic readwrite {Topics.Root}#

        """;
}
