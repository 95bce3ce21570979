using Kuulo.Core.Protocol;

namespace Kuulo.Core.Stats
{
    /// <summary>
    /// Accumulates one call's figures. Preallocated and reused call after call, so nothing is allocated
    /// while a call runs; only <see cref="ToSummary"/> allocates, once per call.
    /// </summary>
    public sealed class CallStats
    {
        // Enough response gaps for a long call; later ones replace earlier ones round-robin, which keeps
        // the median representative without growing memory.
        private const int MaxGaps = 256;
        private readonly int[] _gaps = new int[MaxGaps];
        private readonly int[] _sorted = new int[MaxGaps];
        private int _gapCount;
        private int _gapsSeen;

        public int StartMs { get; private set; }
        public int DurationMs { get; private set; }
        public int AgentTalkMs { get; private set; }
        public int CustomerTalkMs { get; private set; }
        public int OverlapMs { get; private set; }
        public int HoldMs { get; private set; }
        public int Interruptions { get; private set; }
        public int Backchannels { get; private set; }
        public int CustomerOverlaps { get; private set; }
        public int DeadAirCount { get; private set; }
        public int DeadAirMs { get; private set; }
        public int DeadAirMaxMs { get; private set; }
        public int Monologues { get; private set; }
        public int AgentTurnMaxMs { get; private set; }
        public int CustomerTurnMaxMs { get; private set; }
        public int Alerts { get; private set; }

        public void Begin(int startMs)
        {
            StartMs = startMs;
            DurationMs = 0;
            AgentTalkMs = 0;
            CustomerTalkMs = 0;
            OverlapMs = 0;
            HoldMs = 0;
            Interruptions = 0;
            Backchannels = 0;
            CustomerOverlaps = 0;
            DeadAirCount = 0;
            DeadAirMs = 0;
            DeadAirMaxMs = 0;
            Monologues = 0;
            AgentTurnMaxMs = 0;
            CustomerTurnMaxMs = 0;
            Alerts = 0;
            _gapCount = 0;
            _gapsSeen = 0;
        }

        /// <summary>Adds one frame of talk-time accounting.</summary>
        public void AddFrame(int frameMs, bool agent, bool customer, bool hold)
        {
            if (agent)
            {
                AgentTalkMs += frameMs;
            }

            if (customer)
            {
                CustomerTalkMs += frameMs;
            }

            if (agent && customer)
            {
                OverlapMs += frameMs;
            }

            if (hold)
            {
                HoldMs += frameMs;
            }
        }

        public void CountEvent(int type)
        {
            if (type == Turns.EventType.Interruption) { Interruptions++; }
            else if (type == Turns.EventType.Backchannel) { Backchannels++; }
            else if (type == Turns.EventType.CustomerOverlap) { CustomerOverlaps++; }
            else if (type == Turns.EventType.Monologue) { Monologues++; }
        }

        public void CountAlert()
        {
            Alerts++;
        }

        /// <summary>A dead-air episode (one that reached the first alert threshold) ended after <paramref name="ms"/>.</summary>
        public void AddDeadAir(int ms)
        {
            DeadAirCount++;
            DeadAirMs += ms;
            if (ms > DeadAirMaxMs)
            {
                DeadAirMaxMs = ms;
            }
        }

        public void AddAgentTurn(int ms)
        {
            if (ms > AgentTurnMaxMs)
            {
                AgentTurnMaxMs = ms;
            }
        }

        public void AddCustomerTurn(int ms)
        {
            if (ms > CustomerTurnMaxMs)
            {
                CustomerTurnMaxMs = ms;
            }
        }

        /// <summary>Time from the customer's last word to the agent's reply.</summary>
        public void AddResponseGap(int ms)
        {
            _gaps[_gapsSeen % MaxGaps] = ms;
            _gapsSeen++;
            if (_gapCount < MaxGaps)
            {
                _gapCount++;
            }
        }

        public void End(int endMs)
        {
            DurationMs = endMs - StartMs;
            // Talk counted with hangover can run a frame past the trimmed end; keep the summary coherent.
            if (AgentTalkMs > DurationMs) { AgentTalkMs = DurationMs; }
            if (CustomerTalkMs > DurationMs) { CustomerTalkMs = DurationMs; }
            if (OverlapMs > AgentTalkMs) { OverlapMs = AgentTalkMs; }
            if (OverlapMs > CustomerTalkMs) { OverlapMs = CustomerTalkMs; }
            if (HoldMs > DurationMs) { HoldMs = DurationMs; }
            if (DeadAirMs > DurationMs) { DeadAirMs = DurationMs; }
            if (DeadAirMaxMs > DeadAirMs) { DeadAirMaxMs = DeadAirMs; }
        }

        public int ResponseGapMedianMs()
        {
            if (_gapCount == 0)
            {
                return -1;
            }

            for (int i = 0; i < _gapCount; i++)
            {
                int v = _gaps[i];
                int j = i - 1;
                while (j >= 0 && _sorted[j] > v)
                {
                    _sorted[j + 1] = _sorted[j];
                    j--;
                }

                _sorted[j + 1] = v;
            }

            return _gapCount % 2 == 1
                ? _sorted[_gapCount / 2]
                : (_sorted[_gapCount / 2 - 1] + _sorted[_gapCount / 2]) / 2;
        }

        public CallSummary ToSummary(int callNumber, long startUnixMs, int configVersion)
        {
            CallSummary s = new CallSummary();
            s.CallNumber = callNumber;
            s.StartUnixMs = startUnixMs;
            s.ConfigVersion = configVersion;
            s.DurationMs = DurationMs;
            s.AgentTalkMs = AgentTalkMs;
            s.CustomerTalkMs = CustomerTalkMs;
            s.OverlapMs = OverlapMs;
            s.HoldMs = HoldMs;
            s.Interruptions = Interruptions;
            s.Backchannels = Backchannels;
            s.CustomerOverlaps = CustomerOverlaps;
            s.DeadAirCount = DeadAirCount;
            s.DeadAirMs = DeadAirMs;
            s.DeadAirMaxMs = DeadAirMaxMs;
            s.Monologues = Monologues;
            s.AgentTurnMaxMs = AgentTurnMaxMs;
            s.CustomerTurnMaxMs = CustomerTurnMaxMs;
            s.ResponseGapCount = _gapsSeen;
            s.ResponseGapMedianMs = ResponseGapMedianMs();
            int talk = AgentTalkMs + CustomerTalkMs;
            s.TalkRatioPerMille = talk == 0 ? -1 : (int)((long)AgentTalkMs * 1000 / talk);
            s.Alerts = Alerts;
            return s;
        }
    }
}
