namespace Kuulo.Core.Protocol
{
    /// <summary>
    /// What one call looked like, as the desk measured it. Published once per call on
    /// <see cref="Topics.Call"/>; (device, <see cref="Seq"/>) identifies it, so a redelivery is never counted twice.
    /// Durations are whole milliseconds.
    /// </summary>
    public sealed class CallSummary
    {
        public const int Version = 1;
        private const long MaxMs = 7L * 24 * 3600 * 1000;

        private static readonly string[] Keys = new string[]
        {
            "v", "seq", "call", "start", "cfg", "dur_ms", "agent_ms", "cust_ms", "overlap_ms", "hold_ms",
            "interruptions", "backchannels", "cust_overlaps", "dead_air_n", "dead_air_ms", "dead_air_max_ms",
            "monologues", "agent_turn_max_ms", "cust_turn_max_ms", "gap_n", "gap_med_ms", "talk_ratio_pm", "alerts",
        };

        /// <summary>Per-device message sequence number, assigned when the message is queued for sending.</summary>
        public long Seq;

        /// <summary>
        /// Largest sequence number a call or alert may carry: 2^53 - 1, exact in every JSON reader, and more than a
        /// device publishing every millisecond reaches in 285,000 years. Anything above is forged or corrupt.
        /// </summary>
        public const long MaxSeq = 9007199254740991;
        /// <summary>Per-device call counter.</summary>
        public int CallNumber;
        /// <summary>Unix time of the call start in ms, or 0 when the unit had no clock.</summary>
        public long StartUnixMs;
        /// <summary>Configuration version in force during the call.</summary>
        public int ConfigVersion;
        public int DurationMs;
        public int AgentTalkMs;
        public int CustomerTalkMs;
        public int OverlapMs;
        public int HoldMs;
        public int Interruptions;
        public int Backchannels;
        public int CustomerOverlaps;
        public int DeadAirCount;
        public int DeadAirMs;
        public int DeadAirMaxMs;
        public int Monologues;
        public int AgentTurnMaxMs;
        public int CustomerTurnMaxMs;
        /// <summary>How many agent responses (customer stops, agent starts) were timed.</summary>
        public int ResponseGapCount;
        /// <summary>Median agent response gap, or -1 when there was none.</summary>
        public int ResponseGapMedianMs;
        /// <summary>Agent share of all talk in per-mille, or -1 when nobody talked.</summary>
        public int TalkRatioPerMille;
        /// <summary>Alerts actually shown (after cooldowns and quiet mode).</summary>
        public int Alerts;

        public string ToJson()
        {
            return new JsonWriter(512)
                .Add("v", Version).Add("seq", Seq).Add("call", CallNumber).Add("start", StartUnixMs).Add("cfg", ConfigVersion)
                .Add("dur_ms", DurationMs).Add("agent_ms", AgentTalkMs).Add("cust_ms", CustomerTalkMs)
                .Add("overlap_ms", OverlapMs).Add("hold_ms", HoldMs)
                .Add("interruptions", Interruptions).Add("backchannels", Backchannels).Add("cust_overlaps", CustomerOverlaps)
                .Add("dead_air_n", DeadAirCount).Add("dead_air_ms", DeadAirMs).Add("dead_air_max_ms", DeadAirMaxMs)
                .Add("monologues", Monologues).Add("agent_turn_max_ms", AgentTurnMaxMs).Add("cust_turn_max_ms", CustomerTurnMaxMs)
                .Add("gap_n", ResponseGapCount).Add("gap_med_ms", ResponseGapMedianMs).Add("talk_ratio_pm", TalkRatioPerMille)
                .Add("alerts", Alerts)
                .Finish();
        }

        /// <summary>The summary, or null with <paramref name="error"/> naming the first bad field.</summary>
        public static CallSummary Parse(string json, out string error)
        {
            PayloadReader r = PayloadReader.Open(json, Version);
            r.OnlyKeys(Keys);
            CallSummary s = new CallSummary();
            s.Seq = r.Long("seq", 1, MaxSeq);
            s.CallNumber = r.Int("call", 1, int.MaxValue);
            s.StartUnixMs = r.Long("start", 0, 253402300799000L);
            s.ConfigVersion = r.Int("cfg", 0, int.MaxValue);
            s.DurationMs = (int)r.Long("dur_ms", 0, MaxMs);
            s.AgentTalkMs = r.Int("agent_ms", 0, s.DurationMs);
            s.CustomerTalkMs = r.Int("cust_ms", 0, s.DurationMs);
            s.OverlapMs = r.Int("overlap_ms", 0, s.DurationMs);
            s.HoldMs = r.Int("hold_ms", 0, s.DurationMs);
            s.Interruptions = r.Int("interruptions", 0, 100000);
            s.Backchannels = r.Int("backchannels", 0, 100000);
            s.CustomerOverlaps = r.Int("cust_overlaps", 0, 100000);
            s.DeadAirCount = r.Int("dead_air_n", 0, 100000);
            s.DeadAirMs = r.Int("dead_air_ms", 0, s.DurationMs);
            s.DeadAirMaxMs = r.Int("dead_air_max_ms", 0, s.DeadAirMs);
            s.Monologues = r.Int("monologues", 0, 100000);
            s.AgentTurnMaxMs = r.Int("agent_turn_max_ms", 0, s.DurationMs);
            s.CustomerTurnMaxMs = r.Int("cust_turn_max_ms", 0, s.DurationMs);
            s.ResponseGapCount = r.Int("gap_n", 0, 100000);
            s.ResponseGapMedianMs = r.Int("gap_med_ms", -1, s.DurationMs);
            s.TalkRatioPerMille = r.Int("talk_ratio_pm", -1, 1000);
            s.Alerts = r.Int("alerts", 0, 100000);
            r.Check(s.OverlapMs <= s.AgentTalkMs && s.OverlapMs <= s.CustomerTalkMs, "'overlap_ms' exceeds a side's talk time");
            r.Check((s.ResponseGapCount == 0) == (s.ResponseGapMedianMs < 0), "'gap_med_ms' must be -1 exactly when 'gap_n' is 0");
            error = r.Error;
            return r.Ok ? s : null;
        }
    }
}
