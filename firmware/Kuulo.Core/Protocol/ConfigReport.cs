namespace Kuulo.Core.Protocol
{
    /// <summary>
    /// Retained on <see cref="Topics.ConfigReported"/>: the configuration version the device runs,
    /// and, when it refused the latest desired document, which version and why.
    /// </summary>
    public sealed class ConfigReport
    {
        public const int Version = 1;

        private static readonly string[] Keys = new string[] { "v", "ver", "rejected_ver", "error" };

        /// <summary>Version in force on the device (0 = factory defaults).</summary>
        public int AppliedVersion;
        /// <summary>Version the device refused, or 0.</summary>
        public int RejectedVersion;
        /// <summary>Why <see cref="RejectedVersion"/> was refused, or null.</summary>
        public string Error;

        public string ToJson()
        {
            JsonWriter w = new JsonWriter(128).Add("v", Version).Add("ver", AppliedVersion);
            if (RejectedVersion > 0)
            {
                w.Add("rejected_ver", RejectedVersion).Add("error", Error);
            }

            return w.Finish();
        }

        public static ConfigReport Parse(string json, out string error)
        {
            PayloadReader r = PayloadReader.Open(json, Version);
            r.OnlyKeys(Keys);
            ConfigReport m = new ConfigReport();
            m.AppliedVersion = r.Int("ver", 0, int.MaxValue);
            m.RejectedVersion = r.OptionalInt("rejected_ver", 1, int.MaxValue, 0);
            m.Error = r.OptionalText("error", 300);
            error = r.Error;
            return r.Ok ? m : null;
        }
    }
}
