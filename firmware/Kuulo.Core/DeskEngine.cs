using Kuulo.Core.Alerts;
using Kuulo.Core.Audio;
using Kuulo.Core.Config;
using Kuulo.Core.Stats;
using Kuulo.Core.Turns;

namespace Kuulo.Core
{
    /// <summary>
    /// The desk unit's brain: feed it one stereo frame at a time (left = agent mic, right = customer audio)
    /// and it tells its listener about events, alerts and finished calls. Allocates nothing per frame.
    /// </summary>
    public sealed class DeskEngine
    {
        private const float TalkerBelowPeakDb = 12f;

        private readonly IDeskListener _listener;
        private readonly BandAnalyser _agentBands;
        private readonly BandAnalyser _customerBands;
        private readonly SpeechFeatures _agentFeatures;
        private readonly SpeechFeatures _customerFeatures;
        private readonly VoiceDetector _agentVoice;
        private readonly VoiceDetector _customerVoice;
        private readonly EchoGuard _echo;
        private readonly HoldDetector _hold;
        private readonly CallStats _stats;
        private readonly TurnTracker _turns;
        private readonly DeadAirEvidence _silence;
        private readonly InterruptionEvidence _interruption;
        private readonly AlertPolicy _alerts;
        private DeskConfig _config;
        private int _callNumber;

        public DeskEngine(DeskConfig config, int sampleRate, IDeskListener listener)
            : this(config, sampleRate, listener, new AgentVoiceModel(), new CustomerVoiceModel(), new InterruptionModel(), new DeadAirModel())
        {
        }

        /// <summary>An engine with other trained models than the generated ones: the training tool's, while it trains.</summary>
        public DeskEngine(DeskConfig config, int sampleRate, IDeskListener listener,
            IFrameClassifier agentModel, IFrameClassifier customerModel, IInterruptionModel interruptionModel, IDeadAirModel deadAirModel)
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

            _agentBands = new BandAnalyser(sampleRate, FrameSamples);
            _customerBands = new BandAnalyser(sampleRate, FrameSamples);
            _agentFeatures = new SpeechFeatures(FrameMs);
            _customerFeatures = new SpeechFeatures(FrameMs);
            _agentVoice = new VoiceDetector(FrameMs, agentModel);
            _customerVoice = new VoiceDetector(FrameMs, customerModel);
            _echo = new EchoGuard(FrameMs);
            _hold = new HoldDetector(FrameMs);
            _stats = new CallStats();
            _alerts = new AlertPolicy(_config);
            _turns = new TurnTracker(_config, FrameMs, _stats, new TurnRouter(this), interruptionModel, deadAirModel);
            _silence = _turns.Silence;
            _interruption = _turns.Interruption;
            ConfigureParts();
        }

        public int SampleRate { get; private set; }
        public int FrameMs { get; private set; }

        /// <summary>Samples per channel in one frame; <see cref="ProcessFrame"/> reads twice as many shorts.</summary>
        public int FrameSamples { get; private set; }

        /// <summary>Engine time: the end of the last processed frame, in ms.</summary>
        public int NowMs { get { return _turns.NowMs; } }

        public DeskConfig Config { get { return _config; } }

        /// <summary>Agent speech in the last frame (after the echo guard).</summary>
        public bool AgentSpeech { get; private set; }

        /// <summary>Customer speech in the last frame (hold music is not speech).</summary>
        public bool CustomerSpeech { get; private set; }

        public bool InCall { get { return _turns.InCall; } }
        public bool OnHold { get { return _turns.OnHold; } }
        public bool Muted { get { return _turns.Muted; } }
        public bool Quiet { get { return _alerts.Quiet; } }

        /// <summary>Calls started since the engine was created.</summary>
        public int CallNumber { get { return _callNumber; } }

        /// <summary>What the LED shows now (<see cref="IndicatorPattern"/>).</summary>
        public int Indicator { get; private set; }

        /// <summary>Read only, for the installer's calibration check: the last frame's level per channel (dB, BandAnalyser units).</summary>
        public float AgentLevelDb { get { return _agentBands.TotalDb; } }
        public float CustomerLevelDb { get { return _customerBands.TotalDb; } }

        /// <summary>Read only, for the calibration check: each channel's noise floor and the learned echo gain (dB).</summary>
        public float AgentFloorDb { get { return _agentFeatures.FloorDb; } }
        public float CustomerFloorDb { get { return _customerFeatures.FloorDb; } }
        public float EchoGainDb { get { return _echo.GainDb; } }

        /// <summary>Analyses one frame: <see cref="FrameSamples"/> interleaved stereo samples starting at <paramref name="offset"/>.</summary>
        public void ProcessFrame(short[] interleaved, int offset)
        {
            _agentBands.Analyse(interleaved, offset, 0, FrameSamples);
            _customerBands.Analyse(interleaved, offset, 1, FrameSamples);
            _agentFeatures.Update(_agentBands);
            _customerFeatures.Update(_customerBands);
            float agentDb = _agentBands.TotalDb;
            float customerDb = _customerBands.TotalDb;
            _echo.PushCustomer(customerDb);

            // Only an explicit hold mutes the customer's voice detector. The hold detector never does: customer
            // speech ends a detected hold, not the reverse.
            bool customer = _customerVoice.Update(_customerFeatures, !_turns.HeldByInput);
            _hold.Update(_customerBands, customer);
            bool holdSound = _hold.OnHold;
            bool agentOpen = !_turns.Muted && _echo.AllowsAgent(agentDb);
            bool agent = _agentVoice.Update(_agentFeatures, agentOpen);
            _echo.Learn(agentDb, _agentFeatures.FloorDb, customer, agent);

            // For turn-taking, a voiced frame must also be near its talker's own loud level: voices around them (a
            // café or a television behind the customer, a neighbour behind the agent) are detected as speech but
            // sit well under it.
            bool agentNear = _agentVoice.Loud && _agentFeatures.BelowPeakDb > -TalkerBelowPeakDb;
            bool customerNear = _customerVoice.Loud && _customerFeatures.BelowPeakDb > -TalkerBelowPeakDb;
            // What the lines sound like, should this frame be part of a silence the dead-air model judges or of an
            // agent start the interruption model judges.
            _silence.Frame(_customerVoice.Margin, _agentVoice.Margin, _customerFeatures.SnrDb, _hold.LevelChangeDb, _hold.ReshapedDb,
                _hold.SoundsHeld);
            _interruption.Listen(customerDb);
            _turns.Step(agent, agentNear, customer, customerNear, holdSound);
            if (_turns.DeadAirStage == 0)
            {
                _alerts.VoiceResumed();
            }

            AgentSpeech = agent && !_turns.Muted;
            CustomerSpeech = customer;
            Indicator = _alerts.Indicator(NowMs, _turns.InCall, _turns.OnHold || _turns.Muted);
        }

        /// <summary>An explicit input (<see cref="DeskInput"/>) from the button or the companion.</summary>
        public void Input(int input)
        {
            if (input == DeskInput.QuietOn || input == DeskInput.QuietOff)
            {
                _alerts.SetQuiet(input == DeskInput.QuietOn);
                return;
            }

            _turns.Input(input);
            Indicator = _alerts.Indicator(NowMs, _turns.InCall, _turns.OnHold || _turns.Muted);
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
                return "frame_ms cannot change while the unit runs (the configuration was not applied)";
            }

            _config = config.Clone();
            ConfigureParts();
            return null;
        }

        /// <summary>Ends a call in progress (end of input, shutdown) so its summary is not lost.</summary>
        public void Flush()
        {
            _turns.Flush();
            Indicator = _alerts.Indicator(NowMs, _turns.InCall, _turns.OnHold || _turns.Muted);
        }

        private void ConfigureParts()
        {
            _agentVoice.Configure(_config);
            _customerVoice.Configure(_config);
            _echo.Configure(_config);
            _hold.Configure(_config);
            _turns.Configure(_config);
            _alerts.Configure(_config);
        }

        private void OnTurnEvent(int type, int timeMs, int stage)
        {
            if (type == EventType.CallStart)
            {
                _callNumber++;
                _alerts.Reset();
            }

            if (type == EventType.CallEnd)
            {
                _listener.OnEvent(type, timeMs, stage);
                _listener.OnCallEnded(_stats.ToSummary(_callNumber, 0, _config.Version));
                return;
            }

            if (type == EventType.Interruption && timeMs < SpeechFeatures.SettleMs)
            {
                // Before the detectors have learned the two lines, "the customer" may be a television or a café they
                // have not yet heard as background, and the agent's voice may be the customer's echo: a guess, not
                // an interruption. A unit settles once, when it starts; an analysed file starts cold each time.
                return;
            }

            _stats.CountEvent(type);
            _listener.OnEvent(type, timeMs, stage);
            int pattern;
            bool buzz;
            if (_alerts.Decide(type, timeMs, stage, out pattern, out buzz))
            {
                _stats.CountAlert();
                _listener.OnAlert(type, timeMs, stage, pattern, buzz);
            }
        }

        /// <summary>Keeps the turn-listener callback off the engine's public surface.</summary>
        private sealed class TurnRouter : ITurnListener
        {
            private readonly DeskEngine _engine;

            public TurnRouter(DeskEngine engine)
            {
                _engine = engine;
            }

            public void OnTurnEvent(int type, int timeMs, int stage)
            {
                _engine.OnTurnEvent(type, timeMs, stage);
            }
        }
    }
}
