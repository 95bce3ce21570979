namespace Kuulo.Core.Protocol
{
    /// <summary>
    /// A desk's answer to <see cref="CommandMessage.Calibrate"/> on <see cref="Topics.Calibration"/>: what each
    /// headset channel sounded like over <see cref="DurationMs"/>, so an installer can tell the tap is wired right
    /// (agent on the left, customer on the right, no crossed or dead channel). Levels are whole dB in the core's
    /// BandAnalyser units; a channel with no speech in the window has no speech level (<see cref="NoLevel"/>).
    /// </summary>
    public sealed class CalibrationReport
    {
        public const int Version = 1;

        /// <summary>How long a desk listens before it answers.</summary>
        public const int DurationMs = 10000;

        /// <summary>Stands for "no speech heard": never sent, the key is left out.</summary>
        public const int NoLevel = int.MinValue;

        private const int MinDb = -200;
        private const int MaxDb = 200;

        private static readonly string[] Keys = new string[]
        {
            "v", "id", "ms", "agent_floor_db", "agent_speech_db", "agent_speech_ms", "cust_floor_db", "cust_speech_db", "cust_speech_ms", "echo_db",
        };

        /// <summary>The command this answers.</summary>
        public long CommandId;
        public int MeasuredMs;
        public int AgentFloorDb;
        public int AgentSpeechDb = NoLevel;
        public int AgentSpeechMs;
        public int CustomerFloorDb;
        public int CustomerSpeechDb = NoLevel;
        public int CustomerSpeechMs;
        /// <summary>Echo leak: how loud the customer's voice comes back on the agent channel, relative to the customer (dB, 0 = as loud).</summary>
        public int EchoLeakDb;

        public string ToJson()
        {
            JsonWriter w = new JsonWriter(256).Add("v", Version).Add("id", CommandId).Add("ms", MeasuredMs)
                .Add("agent_floor_db", AgentFloorDb).Add("agent_speech_ms", AgentSpeechMs)
                .Add("cust_floor_db", CustomerFloorDb).Add("cust_speech_ms", CustomerSpeechMs).Add("echo_db", EchoLeakDb);
            if (AgentSpeechDb != NoLevel)
            {
                w.Add("agent_speech_db", AgentSpeechDb);
            }

            if (CustomerSpeechDb != NoLevel)
            {
                w.Add("cust_speech_db", CustomerSpeechDb);
            }

            return w.Finish();
        }

        public static CalibrationReport Parse(string json, out string error)
        {
            PayloadReader r = PayloadReader.Open(json, Version);
            r.OnlyKeys(Keys);
            CalibrationReport m = new CalibrationReport();
            m.CommandId = r.Long("id", 1, long.MaxValue);
            m.MeasuredMs = r.Int("ms", 0, 600000);
            m.AgentFloorDb = r.Int("agent_floor_db", MinDb, MaxDb);
            m.AgentSpeechDb = r.OptionalInt("agent_speech_db", MinDb, MaxDb, NoLevel);
            m.AgentSpeechMs = r.Int("agent_speech_ms", 0, 600000);
            m.CustomerFloorDb = r.Int("cust_floor_db", MinDb, MaxDb);
            m.CustomerSpeechDb = r.OptionalInt("cust_speech_db", MinDb, MaxDb, NoLevel);
            m.CustomerSpeechMs = r.Int("cust_speech_ms", 0, 600000);
            m.EchoLeakDb = r.Int("echo_db", MinDb, MaxDb);
            error = r.Error;
            return r.Ok ? m : null;
        }
    }
}
