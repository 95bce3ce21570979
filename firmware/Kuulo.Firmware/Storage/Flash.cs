using System.IO;
using System.Text;

namespace Kuulo.Firmware.Storage
{
    /// <summary>Small helpers over the ESP32's internal flash file system (drive I:).</summary>
    public static class Flash
    {
        public const string Root = "I:\\kuulo";

        public static string Path(string name)
        {
            return Root + "\\" + name;
        }

        public static string ReadText(string path)
        {
            if (!File.Exists(path))
            {
                return null;
            }

            byte[] bytes = File.ReadAllBytes(path);
            return Encoding.UTF8.GetString(bytes, 0, bytes.Length);
        }

        /// <summary>Writes to a temporary file and moves it into place, so a power cut leaves the old or the new file.</summary>
        public static void WriteText(string path, string text)
        {
            if (!Directory.Exists(Root))
            {
                Directory.CreateDirectory(Root);
            }

            string temp = path + ".tmp";
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            using (FileStream stream = File.Create(temp))
            {
                stream.Write(bytes, 0, bytes.Length);
                stream.Flush();
            }

            if (File.Exists(path))
            {
                File.Delete(path);
            }

            File.Move(temp, path);
        }
    }
}
