using System.Collections.Concurrent;
using Kuulo.Companion.Storage;

namespace Kuulo.Companion.Registry;

/// <summary>
/// Registered devices, cached for the message path. A miss goes to the database, so a device registered through
/// another companion instance is found too.
/// </summary>
public sealed class DeviceDirectory(SqlStore store)
{
    private readonly ConcurrentDictionary<string, DeviceRecord> _cache = new();

    public async ValueTask<DeviceRecord?> FindAsync(string id)
    {
        if (_cache.TryGetValue(id, out var device))
        {
            return device;
        }

        device = await store.GetDeviceAsync(id);
        if (device != null)
        {
            _cache[id] = device;
        }

        return device;
    }

    /// <summary>Drops a cached entry after the registry changed it.</summary>
    public void Forget(string id) => _cache.TryRemove(id, out _);
}
