using Kuulo.Core.Audio;

namespace Kuulo.Core.Turns
{
    /// <summary>
    /// What the turn tracker knows when an agent who started over the customer has talked for
    /// <c>backchannel_max_ms</c> and the customer carried on: the numbers <see cref="IInterruptionModel"/> judges.
    /// A television or café heard as the customer, a neighbour heard as the agent, and a quick reply that met the
    /// customer's last word all pass the rules; they differ in how the call has gone, how clearly each side was
    /// heard and how far the voice heard as the customer stood out from their line. Durations are in dB of
    /// milliseconds (10·log10(1 + ms)): a second more matters after one second, not after a minute. Whoever drives
    /// the <see cref="TurnTracker"/> feeds the customer's level to <see cref="Listen"/> before each
    /// <see cref="TurnTracker.Step"/>.
    /// </summary>
    public sealed class InterruptionEvidence
    {
        public const int Count = 7;

        /// <summary>Both sides heard at once, as a share of the quieter side's talk, over about the last minute.</summary>
        public const int Crosstalk = 0;
        /// <summary>Share of the frames since the agent's start with the customer's voice near its usual level.</summary>
        public const int CustomerHeard = 1;
        /// <summary>Share of the frames since the agent's start with the agent's voice near its usual level.</summary>
        public const int AgentHeard = 2;
        /// <summary>How long the customer's turn had gone on at the agent's start.</summary>
        public const int CustomerTurn = 3;
        /// <summary>How long the customer had talked with the agent silent, at the agent's start.</summary>
        public const int CustomerAlone = 4;
        /// <summary>
        /// How long before the agent's start the customer was last heard, in tenths of a second: 0.6 s at most, 0 or
        /// less when they were still talking (the start is dated back over the detector's onset).
        /// </summary>
        public const int Gap = 5;
        /// <summary>
        /// How far the frames since the agent's start heard as the customer stood above all of them, mean dB (0 if none
        /// was heard). A customer's voice stands well above the quiet between their words and after they give way; a
        /// television or café behind them, heard as them, is about as loud in the frames heard as in the rest.
        /// </summary>
        public const int CustomerContrast = 6;

        private readonly float[] _values = new float[Count];
        private int _frames;
        private int _customerFrames;
        private int _agentFrames;
        private float _customerDb;
        private float _heardSumDb;
        private float _allSumDb;

        /// <summary>Starts the evidence of a new agent start.</summary>
        public void Begin(int customerTurnMs, int customerAloneMs, int gapMs)
        {
            _values[CustomerTurn] = Duration(customerTurnMs);
            _values[CustomerAlone] = Duration(customerAloneMs);
            _values[Gap] = gapMs / 100f;
            _frames = 0;
            _customerFrames = 0;
            _agentFrames = 0;
            _heardSumDb = 0f;
            _allSumDb = 0f;
        }

        /// <summary>The customer's line level in this frame (dB, <see cref="BandAnalyser"/> units), before the tracker's step.</summary>
        public void Listen(float customerDb)
        {
            _customerDb = customerDb;
        }

        /// <summary>One frame after the start: whether each side's voice was heard near its level.</summary>
        public void Frame(bool agentHeard, bool customerHeard)
        {
            _frames++;
            _agentFrames += agentHeard ? 1 : 0;
            _customerFrames += customerHeard ? 1 : 0;
            _heardSumDb += customerHeard ? _customerDb : 0f;
            _allSumDb += _customerDb;
        }

        /// <summary>The evidence at the decision; the array is reused by the next start.</summary>
        public float[] Complete(float crosstalkShare)
        {
            int frames = _frames > 0 ? _frames : 1;
            _values[Crosstalk] = crosstalkShare;
            _values[CustomerHeard] = (float)_customerFrames / frames;
            _values[AgentHeard] = (float)_agentFrames / frames;
            _values[CustomerContrast] = _customerFrames > 0 ? _heardSumDb / _customerFrames - _allSumDb / frames : 0f;
            return _values;
        }

        private static float Duration(int ms)
        {
            return Decibels.PowerToDb(ms > 0 ? ms : 0);
        }
    }
}
