using System.Text;
using Kuulo.Companion.Storage;
using Kuulo.Core.Protocol;

namespace Kuulo.Companion.Registry;

/// <summary>
/// Password and ACL files for running the devices against an external Mosquitto: the same credentials and the
/// same topic rules the embedded broker enforces.
/// </summary>
public static class MosquittoExport
{
    public static string PasswordFile(IEnumerable<DeviceRecord> devices, string? companionUser, string? companionPassword)
    {
        var text = new StringBuilder();
        foreach (var device in devices)
        {
            text.Append(device.Id).Append(':').Append(device.PasswordHash).Append('\n');
        }

        if (companionUser != null && companionPassword != null)
        {
            text.Append(companionUser).Append(':').Append(PasswordHash.Hash(companionPassword)).Append('\n');
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
