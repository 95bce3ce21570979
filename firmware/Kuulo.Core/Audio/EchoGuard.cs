using Kuulo.Core.Config;

namespace Kuulo.Core.Audio
{
    /// <summary>
    /// Keeps the customer's voice, leaking into the agent's mic as echo or sidetone, from counting as
    /// agent speech. It learns the echo path's gain while only the customer talks and then requires
    /// agent frames to be louder, by a margin, than the echo the recent customer audio would produce.
    /// The look-back covers the leak's delay.
    /// </summary>
    public sealed class EchoGuard
    {
        // Leaks louder than -6 dB are not plausible echo: such frames are the agent talking too.
        private const float LoudestEcho = 0.25f;
        private const float QuietestEcho = 1e-5f;
        private const float InitialEcho = 0.01f;
        // Multiplicative steps: the estimate rises quickly to a louder echo and decays slowly,
        // so it sits near the upper range of the observed leak.
        private const float Rise = 1.06f;
        private const float Fall = 0.985f;

        private readonly int _frameMs;
        private float[] _recentCustomer;
        private int _next;
        private float _marginRatio;

        public EchoGuard(int frameMs)
        {
            _frameMs = frameMs;
            Gain = InitialEcho;
        }

        /// <summary>Estimated echo power gain from the customer channel into the agent mic.</summary>
        public float Gain { get; private set; }

        /// <summary>Echo power expected in the agent channel now.</summary>
        public float ExpectedEcho { get; private set; }

        public void Configure(DeskConfig config)
        {
            int frames = config.EchoMaxDelayMs / _frameMs + 2;
            if (_recentCustomer == null || _recentCustomer.Length != frames)
            {
                _recentCustomer = new float[frames];
                _next = 0;
            }

            _marginRatio = Decibels.ToPowerRatio(config.EchoMarginDb);
        }

        /// <summary>Records this frame's customer power and updates <see cref="ExpectedEcho"/>.</summary>
        public void PushCustomer(float customerPower)
        {
            _recentCustomer[_next] = customerPower;
            _next = (_next + 1) % _recentCustomer.Length;
            float max = 0f;
            for (int i = 0; i < _recentCustomer.Length; i++)
            {
                if (_recentCustomer[i] > max)
                {
                    max = _recentCustomer[i];
                }
            }

            ExpectedEcho = max * Gain;
        }

        /// <summary>True when the agent frame is loud enough above the expected echo to be the agent's own voice.</summary>
        public bool AllowsAgent(float agentPower, float agentFloor)
        {
            return agentPower - agentFloor > ExpectedEcho * _marginRatio;
        }

        /// <summary>Adapts the echo gain on frames where only the customer talks.</summary>
        public void Learn(float agentPower, float agentFloor, bool customerSpeaking, bool agentSpeaking)
        {
            if (!customerSpeaking || agentSpeaking || ExpectedEcho <= 0f)
            {
                return;
            }

            float leak = agentPower - agentFloor;
            float ratio = leak * Gain / ExpectedEcho;
            if (ratio > LoudestEcho)
            {
                return;
            }

            Gain = ratio > Gain ? Gain * Rise : Gain * Fall;
            if (Gain < QuietestEcho)
            {
                Gain = QuietestEcho;
            }
        }
    }
}
