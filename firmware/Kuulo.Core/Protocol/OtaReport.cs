namespace Kuulo.Core.Protocol
{
    /// <summary>
    /// Retained on <see cref="Topics.OtaReport"/> by the device: where it stands with an <see cref="OtaOffer"/>.
    /// <see cref="Running"/> is always the version actually running, so a device that fell back after a failed
    /// boot says so with <see cref="RolledBack"/> and the old version.
    /// </summary>
    public sealed class OtaReport
    {
        public const int Version = 1;

        public const string Downloading = "downloading";
        /// <summary>Verified, installed and booted: <see cref="Running"/> is the offered version.</summary>
        public const string Installed = "installed";
        /// <summary>Refused before installing: bad signature, size or hash, a download that failed. <see cref="Error"/> says which.</summary>
        public const string Failed = "failed";
        /// <summary>Installed, but the new image did not boot and confirm itself; the previous one runs again.</summary>
        public const string RolledBack = "rolled_back";

        private static readonly string[] Keys = new string[] { "v", "rollout", "ver", "state", "running", "error" };
        private static readonly string[] States = new string[] { Downloading, Installed, Failed, RolledBack };

        public long Rollout;
        /// <summary>The offered version this is about.</summary>
        public string FirmwareVersion;
        public string State;
        public string Running;
        public string Error;

        public string ToJson()
        {
            JsonWriter w = new JsonWriter(384).Add("v", Version).Add("rollout", Rollout).Add("ver", FirmwareVersion).Add("state", State)
                .Add("running", Running);
            if (Error != null)
            {
                w.Add("error", Error);
            }

            return w.Finish();
        }

        public static OtaReport Parse(string json, out string error)
        {
            PayloadReader r = PayloadReader.Open(json, Version);
            r.OnlyKeys(Keys);
            OtaReport m = new OtaReport();
            m.Rollout = r.Long("rollout", 1, long.MaxValue);
            m.FirmwareVersion = r.Text("ver", OtaOffer.MaxVersionLength);
            m.State = r.Text("state", 16);
            m.Running = r.Text("running", OtaOffer.MaxVersionLength);
            m.Error = r.OptionalText("error", 200);
            bool known = false;
            for (int i = 0; r.Ok && i < States.Length; i++)
            {
                known = known || States[i] == m.State;
            }

            r.Check(known, "unknown state '" + m.State + "'");
            error = r.Error;
            return r.Ok ? m : null;
        }
    }
}
