namespace Kuulo.Core.Protocol
{
    /// <summary>
    /// MQTT topic names. A device owns everything under <c>kuulo/v1/{deviceId}/</c> and nothing else,
    /// which is what the brokers' ACLs enforce.
    /// </summary>
    public static class Topics
    {
        public const string Root = "kuulo/v1/";

        /// <summary>Retained; the last will publishes offline here.</summary>
        public const string Status = "status";
        /// <summary>Per-call summary, QoS 1.</summary>
        public const string Call = "call";
        /// <summary>Alert raised on the desk, QoS 1.</summary>
        public const string Alert = "alert";
        /// <summary>Retained, written by the companion.</summary>
        public const string ConfigDesired = "config/desired";
        /// <summary>Retained, written by the device after it applied (or refused) a configuration.</summary>
        public const string ConfigReported = "config/reported";
        /// <summary>Commands from the companion (call start/end, hold, mute), QoS 1, not retained.</summary>
        public const string Command = "cmd";

        /// <summary>A desk's level report after a calibrate command, QoS 1, not retained.</summary>
        public const string Calibration = "calibration";
        /// <summary>Retained, written by the companion: the firmware image the device should run (<see cref="OtaOffer"/>).</summary>
        public const string OtaOffer = "ota/offer";
        /// <summary>Retained, written by the device: how far it is with the offered image (<see cref="OtaReport"/>).</summary>
        public const string OtaReport = "ota/report";

        /// <summary>The shared-subscription group companion instances join to split device traffic.</summary>
        public const string SharedGroup = "kuulo-companion";

        public const int MaxDeviceIdLength = 64;

        /// <summary>Largest payload any Kuulo message needs; brokers and the companion reject bigger ones.</summary>
        public const int MaxPayloadBytes = 4096;

        public static string For(string deviceId, string leaf)
        {
            return Root + deviceId + "/" + leaf;
        }

        /// <summary>Subscription filter for one leaf across all devices, e.g. <c>kuulo/v1/+/call</c>.</summary>
        public static string AllDevices(string leaf)
        {
            return Root + "+/" + leaf;
        }

        /// <summary>The same filter as an MQTT 5 shared subscription.</summary>
        public static string Shared(string leaf)
        {
            return "$share/" + SharedGroup + "/" + AllDevices(leaf);
        }

        /// <summary>Device ids are 1-64 characters of a-z, 0-9, '-' and '_' so they are safe in topics, file names and SQL.</summary>
        public static bool IsValidDeviceId(string deviceId)
        {
            if (deviceId == null || deviceId.Length == 0 || deviceId.Length > MaxDeviceIdLength)
            {
                return false;
            }

            for (int i = 0; i < deviceId.Length; i++)
            {
                char c = deviceId[i];
                bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Splits <c>kuulo/v1/{id}/{leaf}</c>; false when the topic is not a device topic.</summary>
        public static bool TryParse(string topic, out string deviceId, out string leaf)
        {
            deviceId = null;
            leaf = null;
            if (topic == null || !topic.StartsWith(Root))
            {
                return false;
            }

            int slash = topic.IndexOf('/', Root.Length);
            if (slash < 0)
            {
                return false;
            }

            string id = topic.Substring(Root.Length, slash - Root.Length);
            string rest = topic.Substring(slash + 1);
            if (!IsValidDeviceId(id))
            {
                return false;
            }

            if (rest != Status && rest != Call && rest != Alert && rest != ConfigDesired && rest != ConfigReported && rest != Command
                && rest != Calibration && rest != OtaOffer && rest != OtaReport)
            {
                return false;
            }

            deviceId = id;
            leaf = rest;
            return true;
        }
    }
}
