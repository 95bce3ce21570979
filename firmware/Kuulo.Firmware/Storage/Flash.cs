using System.IO;
using System.Text;

namespace Kuulo.Firmware.Storage
{
    /// <summary>
    /// Small helpers over the ESP32's internal flash file system (drive I:). A write goes to NAME.tmp and replaces
    /// NAME afterwards, so a power cut leaves the old file, or (cut between the delete and the move) only the
    /// finished NAME.tmp, which <see cref="ReadText"/> falls back to. Readers check that what they read is whole:
    /// JSON must parse, numbers end with a newline.
    /// </summary>
    public static class Flash
    {
        public const string Root = "I:\\kuulo";
        private const string Temp = ".tmp";

        public static string Path(string name)
        {
            return Root + "\\" + name;
        }

        /// <summary>The file's text; if only its .tmp is there (a replace cut short), that; null when neither is.</summary>
        public static string ReadText(string path)
        {
            string from = File.Exists(path) ? path : path + Temp;
            if (!File.Exists(from))
            {
                return null;
            }

            byte[] bytes = File.ReadAllBytes(from);
            return Encoding.UTF8.GetString(bytes, 0, bytes.Length);
        }

        public static void WriteText(string path, string text)
        {
            if (!Directory.Exists(Root))
            {
                Directory.CreateDirectory(Root);
            }

            string temp = path + Temp;
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

        /// <summary>A counter written by <see cref="WriteNumber"/>, or <paramref name="fallback"/> when missing, cut short or garbled.</summary>
        public static long ReadNumber(string path, long fallback)
        {
            string text = ReadText(path);
            long value;
            // The newline is written last: a number cut short (12 of 123) has none.
            if (text == null || text.Length < 2 || text[text.Length - 1] != '\n'
                || !long.TryParse(text.Substring(0, text.Length - 1), out value) || value < 0)
            {
                return fallback;
            }

            return value;
        }

        public static void WriteNumber(string path, long value)
        {
            WriteText(path, value.ToString() + "\n");
        }
    }
}
