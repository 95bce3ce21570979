using System.Device.Wifi;
using nanoFramework.Networking;

namespace Kuulo.Firmware.Net
{
    /// <summary>Wi-Fi with automatic reconnection; waits for a valid clock (SNTP) so call times are real.</summary>
    public static class WifiLink
    {
        public static bool Connect(DeviceSettings settings)
        {
            return WifiNetworkHelper.ConnectDhcp(settings.WifiSsid, settings.WifiPassword, WifiReconnectionKind.Automatic, requiresDateTime: true);
        }

        /// <summary>Signal strength of the configured network from the last scan, in dBm; 0 when unknown.</summary>
        public static int Rssi(string ssid)
        {
            WifiAdapter[] adapters = WifiAdapter.FindAllAdapters();
            if (adapters.Length == 0 || adapters[0].NetworkReport == null)
            {
                return 0;
            }

            foreach (WifiAvailableNetwork network in adapters[0].NetworkReport.AvailableNetworks)
            {
                if (network.Ssid == ssid)
                {
                    return (int)network.NetworkRssiInDecibelMilliwatts;
                }
            }

            return 0;
        }
    }
}
