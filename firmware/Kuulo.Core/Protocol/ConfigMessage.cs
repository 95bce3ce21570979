using Kuulo.Core.Config;

namespace Kuulo.Core.Protocol
{
    /// <summary>
    /// Desired configuration, retained on <see cref="Topics.ConfigDesired"/>: a version and every
    /// <see cref="DeskConfig"/> parameter by name. Missing parameters take their defaults, so a
    /// document always describes the whole configuration.
    /// </summary>
    public static class ConfigMessage
    {
        public const int Version = 1;

        public static string ToJson(DeskConfig config)
        {
            JsonWriter w = new JsonWriter(512).Add("v", Version).Add("ver", config.Version);
            for (int i = 0; i < DeskConfig.Parameters.Length; i++)
            {
                w.Add(DeskConfig.Parameters[i].Name, config.Get(i));
            }

            return w.Finish();
        }

        /// <summary>The configuration, or null with <paramref name="error"/> saying which value was rejected and why.</summary>
        public static DeskConfig Parse(string json, out string error)
        {
            PayloadReader r = PayloadReader.Open(json, Version);
            DeskConfig config = new DeskConfig();
            config.Version = r.Int("ver", 1, int.MaxValue);
            if (!r.Ok)
            {
                error = r.Error;
                return null;
            }

            JsonObject obj = r.Object;
            for (int i = 0; i < obj.Count; i++)
            {
                string key = obj.KeyAt(i);
                if (key == "v" || key == "ver")
                {
                    continue;
                }

                if (!obj.IsNumberAt(i) || obj.NumberAt(i) < int.MinValue || obj.NumberAt(i) > int.MaxValue)
                {
                    error = "'" + key + "' must be a whole number";
                    return null;
                }

                error = config.Set(key, (int)obj.NumberAt(i));
                if (error != null)
                {
                    return null;
                }
            }

            error = config.Validate();
            return error == null ? config : null;
        }
    }
}
