using Kuulo.Core.Config;

namespace Kuulo.Core
{
    /// <summary>
    /// The desk unit's brain: feed it one stereo frame at a time (left = agent mic, right = customer audio)
    /// and it tells its listener about events, alerts and finished calls. Allocates nothing per frame.
    /// </summary>
    public sealed class DeskEngine
    {
        private readonly IDeskListener _listener;
        private DeskConfig _config;

        public DeskEngine(DeskConfig config, int sampleRate, IDeskListener listener)
        {
            if (sampleRate != 8000 && sampleRate != 16000)
            {
                throw new System.ArgumentException("sample rate must be 8000 or 16000 Hz (got " + sampleRate.ToString() + ")");
            }

            string error = config.Validate();
            if (error != null)
            {
                throw new System.ArgumentException(error);
            }

            _config = config.Clone();
            _listener = listener;
            SampleRate = sampleRate;
            FrameMs = config.FrameMs;
            FrameSamples = sampleRate / 1000 * FrameMs;
        }

        public int SampleRate { get; private set; }
        public int FrameMs { get; private set; }

        /// <summary>Samples per channel in one frame; <see cref="ProcessFrame"/> reads twice as many shorts.</summary>
        public int FrameSamples { get; private set; }

        /// <summary>Engine time: the end of the last processed frame, in ms.</summary>
        public int NowMs { get; private set; }

        public DeskConfig Config { get { return _config; } }

        /// <summary>Agent speech in the last frame (after the echo guard).</summary>
        public bool AgentSpeech { get; private set; }

        /// <summary>Customer speech in the last frame.</summary>
        public bool CustomerSpeech { get; private set; }

        public bool InCall { get; private set; }
        public bool OnHold { get; private set; }
        public bool Muted { get; private set; }

        /// <summary>What the LED shows now (<see cref="Alerts.IndicatorPattern"/>).</summary>
        public int Indicator { get; private set; }

        /// <summary>Analyses one frame: <see cref="FrameSamples"/> interleaved stereo samples starting at <paramref name="offset"/>.</summary>
        public void ProcessFrame(short[] interleaved, int offset)
        {
            NowMs += FrameMs;
        }

        /// <summary>An explicit input (<see cref="DeskInput"/>) from the button or the companion.</summary>
        public void Input(int input)
        {
        }

        /// <summary>
        /// Switches to a new configuration between frames. The frame length cannot change while running;
        /// returns null when applied, else why not.
        /// </summary>
        public string Apply(DeskConfig config)
        {
            string error = config.Validate();
            if (error != null)
            {
                return error;
            }

            if (config.FrameMs != FrameMs)
            {
                return "frame_ms cannot change while the unit runs; it takes effect after a restart";
            }

            _config = config.Clone();
            return null;
        }

        /// <summary>Ends a call in progress (end of input, shutdown) so its summary is not lost.</summary>
        public void Flush()
        {
        }
    }
}
