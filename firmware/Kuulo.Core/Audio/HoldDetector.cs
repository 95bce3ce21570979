using Kuulo.Core.Config;

namespace Kuulo.Core.Audio
{
    /// <summary>
    /// Tells when the customer side is on hold: for <c>hold_detect_ms</c> no customer speech at all, and most
    /// frames sounding like a held line to the hold model (music, a recorded voice over it, a silenced line),
    /// as opposed to the call's own background of noise and pauses. It never suspends the customer's voice
    /// detector: the first confirmed customer speech ends a hold, so when in doubt it is speech. Counts over a
    /// sliding window keep it O(1) per frame.
    /// </summary>
    public sealed class HoldDetector
    {
        // Shares of the window: entering needs most frames to sound held, staying needs fewer.
        private const int EnterPercent = 70;
        private const int StayPercent = 40;

        private readonly int _frameMs;
        private readonly VoiceNet _model;
        private bool[] _held;
        private int _next;
        private int _filled;
        private int _heldCount;
        private int _sinceSpeechFrames;

        public HoldDetector(int frameMs, VoiceNet model)
        {
            _frameMs = frameMs;
            _model = model;
        }

        /// <summary>The customer side sounds like hold.</summary>
        public bool OnHold { get; private set; }

        public void Configure(DeskConfig config)
        {
            int frames = config.HoldDetectMs / _frameMs;
            if (_held == null || _held.Length != frames)
            {
                _held = new bool[frames];
                _next = 0;
                _filled = 0;
                _heldCount = 0;
                _sinceSpeechFrames = 0;
                OnHold = false;
            }
        }

        /// <param name="features">The customer channel's features for this frame.</param>
        /// <param name="speech">Confirmed customer speech in this frame.</param>
        public void Update(SpeechFeatures features, bool speech)
        {
            // While the customer talks the model need not run: speech rules hold out anyway.
            Push(!speech && _model.Score(features.Values) > 0f);
            _sinceSpeechFrames = speech ? 0 : _sinceSpeechFrames + 1;
            int n = _held.Length;
            if (_sinceSpeechFrames < n || _filled < n)
            {
                OnHold = false;
                return;
            }

            OnHold = _heldCount * 100 >= n * (OnHold ? StayPercent : EnterPercent);
        }

        private void Push(bool held)
        {
            if (_filled == _held.Length)
            {
                if (_held[_next]) { _heldCount--; }
            }
            else
            {
                _filled++;
            }

            _held[_next] = held;
            if (held) { _heldCount++; }
            _next = (_next + 1) % _held.Length;
        }
    }
}
