namespace Kuulo.Core.Protocol
{
    /// <summary>
    /// A command from the companion on <see cref="Topics.Command"/>, the same inputs the desk button gives.
    /// <see cref="Id"/> lets the device ignore a redelivered command.
    /// </summary>
    public sealed class CommandMessage
    {
        public const int Version = 1;

        public const string CallStart = "call_start";
        public const string CallEnd = "call_end";
        public const string Hold = "hold";
        public const string Resume = "resume";
        public const string Mute = "mute";
        public const string Unmute = "unmute";
        public const string QuietOn = "quiet_on";
        public const string QuietOff = "quiet_off";
        /// <summary>Measure levels for <see cref="CalibrationReport.DurationMs"/> and answer with a <see cref="CalibrationReport"/>.</summary>
        public const string Calibrate = "calibrate";

        private static readonly string[] Keys = new string[] { "v", "id", "cmd" };
        private static readonly string[] Commands = new string[] { CallStart, CallEnd, Hold, Resume, Mute, Unmute, QuietOn, QuietOff, Calibrate };

        public long Id;
        public string Command;

        public string ToJson()
        {
            return new JsonWriter(64).Add("v", Version).Add("id", Id).Add("cmd", Command).Finish();
        }

        public static CommandMessage Parse(string json, out string error)
        {
            PayloadReader r = PayloadReader.Open(json, Version);
            r.OnlyKeys(Keys);
            CommandMessage m = new CommandMessage();
            m.Id = r.Long("id", 1, long.MaxValue);
            m.Command = r.Text("cmd", 32);
            r.Check(!r.Ok || IsKnown(m.Command), "unknown command '" + m.Command + "'");
            error = r.Error;
            return r.Ok ? m : null;
        }

        private static bool IsKnown(string command)
        {
            for (int i = 0; i < Commands.Length; i++)
            {
                if (Commands[i] == command)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
