using Kuulo.Core.Protocol;
using Kuulo.Firmware.Storage;

namespace Kuulo.Firmware.Net
{
    /// <summary>
    /// Provisioned per unit and kept in flash (I:\kuulo\settings.json, a flat JSON object written at install time
    /// with the nanoFramework device explorer or `nanoff --filedeployment`): Wi-Fi, broker and device credentials.
    /// </summary>
    public sealed class DeviceSettings
    {
        public string WifiSsid;
        public string WifiPassword;
        public string BrokerHost;
        public int BrokerPort;
        public bool Tls;
        public string DeviceId;
        public string DevicePassword;

        public static DeviceSettings Load(out string error)
        {
            string json = Flash.ReadText(Flash.Path("settings.json"));
            if (json == null)
            {
                error = "I:\\kuulo\\settings.json is missing: provision the unit";
                return null;
            }

            JsonObject obj = JsonReader.Parse(json, out error);
            if (obj == null)
            {
                error = "settings.json: " + error;
                return null;
            }

            var s = new DeviceSettings();
            long port;
            bool tls;
            obj.TryGetString("wifi_ssid", out s.WifiSsid);
            obj.TryGetString("wifi_password", out s.WifiPassword);
            obj.TryGetString("broker_host", out s.BrokerHost);
            s.BrokerPort = obj.TryGetNumber("broker_port", out port) ? (int)port : 1883;
            s.Tls = obj.TryGetBool("tls", out tls) && tls;
            obj.TryGetString("device_id", out s.DeviceId);
            obj.TryGetString("device_password", out s.DevicePassword);
            error = s.WifiSsid == null || s.BrokerHost == null || !Topics.IsValidDeviceId(s.DeviceId) || s.DevicePassword == null
                ? "settings.json needs wifi_ssid, broker_host, device_id (a-z, 0-9, - and _) and device_password"
                : null;
            return error == null ? s : null;
        }
    }
}
