namespace Kuulo.Core.Protocol
{
    /// <summary>
    /// Retained on <see cref="Topics.OtaOffer"/> by the companion: the application image a device should run. The
    /// signature is the release key's ECDSA P-256 / SHA-256 signature (IEEE P1363: r then s, 64 bytes, base64) over
    /// <see cref="Manifest"/>, which binds version, size and hash: the device checks it with the public key it was
    /// built with before it downloads anything, then checks the downloaded bytes against size and hash. An empty
    /// retained message withdraws the offer.
    /// </summary>
    public sealed class OtaOffer
    {
        public const int Version = 1;
        public const int MaxVersionLength = 32;
        public const int HashHexLength = 64;
        public const int SignatureBase64Length = 88;

        private static readonly string[] Keys = new string[] { "v", "rollout", "ver", "size", "sha256", "sig", "path" };

        /// <summary>The rollout this offer belongs to; reports carry it back.</summary>
        public long Rollout;
        /// <summary>Firmware version the image reports once running (as in <see cref="StatusMessage.Firmware"/>).</summary>
        public string FirmwareVersion;
        public int Size;
        /// <summary>SHA-256 of the image, lower-case hex.</summary>
        public string Sha256;
        public string Signature;
        /// <summary>Where on the companion to download it (HTTP GET with the device's credentials), e.g. /firmware/{sha256}.bin.</summary>
        public string Path;

        /// <summary>The text the release key signs.</summary>
        public static string Manifest(string firmwareVersion, int size, string sha256)
        {
            return "kuulo-firmware/1\n" + firmwareVersion + "\n" + size.ToString() + "\n" + sha256;
        }

        public string ToJson()
        {
            return new JsonWriter(384).Add("v", Version).Add("rollout", Rollout).Add("ver", FirmwareVersion).Add("size", Size)
                .Add("sha256", Sha256).Add("sig", Signature).Add("path", Path).Finish();
        }

        public static OtaOffer Parse(string json, out string error)
        {
            PayloadReader r = PayloadReader.Open(json, Version);
            r.OnlyKeys(Keys);
            OtaOffer m = new OtaOffer();
            m.Rollout = r.Long("rollout", 1, long.MaxValue);
            m.FirmwareVersion = r.Text("ver", MaxVersionLength);
            m.Size = r.Int("size", 1, 16 * 1024 * 1024);
            m.Sha256 = r.Text("sha256", HashHexLength);
            m.Signature = r.Text("sig", SignatureBase64Length);
            m.Path = r.Text("path", 200);
            r.Check(!r.Ok || IsHex(m.Sha256), "'sha256' must be 64 lower-case hex digits");
            r.Check(!r.Ok || m.Path.StartsWith("/"), "'path' must start with /");
            error = r.Error;
            return r.Ok ? m : null;
        }

        private static bool IsHex(string text)
        {
            if (text.Length != HashHexLength)
            {
                return false;
            }

            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
