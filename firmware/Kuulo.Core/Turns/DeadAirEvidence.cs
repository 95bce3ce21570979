namespace Kuulo.Core.Turns
{
    /// <summary>
    /// What the two lines sounded like since a silence began: the numbers <see cref="IDeadAirModel"/> judges when
    /// the silence reaches <c>dead_air_first_ms</c>. A call on hold whose music the hold detector did not recognise
    /// (music as quiet as the room it replaced), and a quiet customer the voice detector lost, are silences to the
    /// turn rules; the line still sounds unlike the room between the customer's words, or like a voice just under
    /// the threshold. Whoever drives the <see cref="TurnTracker"/> feeds one <see cref="Frame"/> per frame before
    /// <see cref="TurnTracker.Step"/>; the tracker restarts the evidence whenever the silence is broken.
    /// </summary>
    public sealed class DeadAirEvidence
    {
        public const int Count = 6;

        /// <summary>The customer's voice model: mean log-odds over its threshold, each frame within ±<see cref="ScoreLimit"/>.</summary>
        public const int CustomerVoice = 0;
        /// <summary>The agent's voice model, the same way.</summary>
        public const int AgentVoice = 1;
        /// <summary>The customer's line over its noise floor, mean dB.</summary>
        public const int CustomerOverFloor = 2;
        /// <summary>The customer's line against its background between words (either way), mean dB.</summary>
        public const int LevelChange = 3;
        /// <summary>How far the line's spectral shape is from its background's, mean dB.</summary>
        public const int Reshaped = 4;
        /// <summary>Share of frames the hold detector heard as hold.</summary>
        public const int SoundsHeld = 5;

        /// <summary>
        /// Voice-model scores are taken within this many log-odds of the threshold, and a frame too quiet to score
        /// counts as this far under it: how sure the model is of a clear frame says nothing more.
        /// </summary>
        public const float ScoreLimit = 10f;

        private readonly float[] _sums = new float[Count];
        private readonly float[] _values = new float[Count];
        private int _frames;

        /// <summary>Forgets the frames so far: the silence was broken, or has not begun.</summary>
        public void Begin()
        {
            for (int i = 0; i < Count; i++)
            {
                _sums[i] = 0f;
            }

            _frames = 0;
        }

        /// <summary>One frame of both lines.</summary>
        public void Frame(float customerScore, float agentScore, float customerOverFloorDb, float levelChangeDb, float reshapedDb, bool soundsHeld)
        {
            // Limited inline: on the device each call costs more than the comparison.
            _frames++;
            _sums[CustomerVoice] += customerScore > ScoreLimit ? ScoreLimit : customerScore < -ScoreLimit ? -ScoreLimit : customerScore;
            _sums[AgentVoice] += agentScore > ScoreLimit ? ScoreLimit : agentScore < -ScoreLimit ? -ScoreLimit : agentScore;
            _sums[CustomerOverFloor] += customerOverFloorDb;
            _sums[LevelChange] += levelChangeDb < 0f ? -levelChangeDb : levelChangeDb;
            _sums[Reshaped] += reshapedDb;
            _sums[SoundsHeld] += soundsHeld ? 1f : 0f;
        }

        /// <summary>The means over the silence so far; the array is reused by the next silence.</summary>
        public float[] Complete()
        {
            int frames = _frames > 0 ? _frames : 1;
            for (int i = 0; i < Count; i++)
            {
                _values[i] = _sums[i] / frames;
            }

            return _values;
        }
    }
}
