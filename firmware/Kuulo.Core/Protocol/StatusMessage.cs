namespace Kuulo.Core.Protocol
{
    /// <summary>
    /// Retained device health on <see cref="Topics.Status"/>. The same topic carries the last will,
    /// <see cref="OfflineJson"/>, so the retained value always says whether the unit is reachable.
    /// </summary>
    public sealed class StatusMessage
    {
        public const int Version = 1;

        private static readonly string[] Keys = new string[]
        {
            "v", "online", "ts", "fw", "rssi", "heap", "up_s", "cfg", "queued", "dropped", "in_call",
        };

        public bool Online;
        public long UnixMs;
        public string Firmware;
        /// <summary>Wi-Fi signal in dBm (0 when unknown, e.g. a wired host unit).</summary>
        public int Rssi;
        /// <summary>Free managed memory in bytes.</summary>
        public int FreeHeapBytes;
        public int UptimeSeconds;
        /// <summary>Configuration version the unit runs.</summary>
        public int ConfigVersion;
        /// <summary>Call summaries waiting in the offline queue.</summary>
        public int Queued;
        /// <summary>Call summaries dropped because the offline queue was full, since first start.</summary>
        public int Dropped;
        public bool InCall;

        /// <summary>The last-will payload: registered at connect time, so it carries no figures.</summary>
        public static string OfflineJson()
        {
            return new JsonWriter(32).Add("v", Version).Add("online", false).Finish();
        }

        public string ToJson()
        {
            return new JsonWriter(192)
                .Add("v", Version).Add("online", Online).Add("ts", UnixMs).Add("fw", Firmware).Add("rssi", Rssi)
                .Add("heap", FreeHeapBytes).Add("up_s", UptimeSeconds).Add("cfg", ConfigVersion)
                .Add("queued", Queued).Add("dropped", Dropped).Add("in_call", InCall)
                .Finish();
        }

        public static StatusMessage Parse(string json, out string error)
        {
            PayloadReader r = PayloadReader.Open(json, Version);
            r.OnlyKeys(Keys);
            StatusMessage m = new StatusMessage();
            m.Online = r.Bool("online");
            if (r.Ok && m.Online)
            {
                m.UnixMs = r.Long("ts", 0, 253402300799000L);
                m.Firmware = r.Text("fw", 32);
                m.Rssi = r.Int("rssi", -127, 0);
                m.FreeHeapBytes = r.Int("heap", 0, int.MaxValue);
                m.UptimeSeconds = r.Int("up_s", 0, int.MaxValue);
                m.ConfigVersion = r.Int("cfg", 0, int.MaxValue);
                m.Queued = r.Int("queued", 0, int.MaxValue);
                m.Dropped = r.Int("dropped", 0, int.MaxValue);
                m.InCall = r.Bool("in_call");
            }

            error = r.Error;
            return r.Ok ? m : null;
        }
    }
}
