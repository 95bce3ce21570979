using Kuulo.Companion.Options;
using Kuulo.Core.Protocol;

namespace Kuulo.Companion.Registry;

/// <summary>
/// Names no device may take: the companion's own broker account and client ids (and everything starting with
/// "kuulo-companion", the default for both and the shared-subscription group). A device by such a name would
/// share the companion's line in the Mosquitto password file and the companion's rights in its ACL.
/// </summary>
public static class ReservedNames
{
    public static bool IsReserved(string id, BrokerOptions broker) =>
        id.StartsWith(Topics.SharedGroup, StringComparison.Ordinal) || id == broker.Username || id == broker.ClientId;
}
