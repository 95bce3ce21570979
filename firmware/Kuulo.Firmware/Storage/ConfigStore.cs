using Kuulo.Core.Config;
using Kuulo.Core.Protocol;

namespace Kuulo.Firmware.Storage
{
    /// <summary>The applied configuration document, kept in flash so a restart comes back with it.</summary>
    public static class ConfigStore
    {
        private static readonly string File = Flash.Path("config.json");

        public static DeskConfig Load()
        {
            string json = Flash.ReadText(File);
            string error;
            DeskConfig config = json == null ? null : ConfigMessage.Parse(json, out error);
            return config ?? new DeskConfig();
        }

        public static void Save(string json)
        {
            Flash.WriteText(File, json);
        }
    }
}
