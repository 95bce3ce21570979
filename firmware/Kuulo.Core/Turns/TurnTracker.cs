using Kuulo.Core.Config;
using Kuulo.Core.Stats;

namespace Kuulo.Core.Turns
{
    /// <summary>
    /// Turns per-frame speech decisions of both channels into conversation events: interruptions,
    /// backchannels, customer overlaps, dead air, monologues, and call start and end. It also feeds
    /// the call's <see cref="CallStats"/>. It knows nothing about audio, so any voice detector can drive it.
    /// </summary>
    public sealed class TurnTracker
    {
        // A burst of talk is over once its speaker has been quiet this long; shorter pauses are gaps between
        // words of one burst. The agent's is longer: an agent who interrupts often pauses after the first word, and
        // under the customer's voice the detector loses the agent's quieter words too. At 500 ms a third of the
        // interruptions missed on held-out voices had ended that way; a backchannel joined to the reply after it,
        // which the longer gap also lets through, the interruption model judges.
        private const int AgentBurstEndMs = 700;
        private const int CustomerBurstEndMs = 400;
        // An agent start this long after the customer's last sound is a reply (shorter: talking over them).
        private const int ReplyGapMs = 160;
        // An agent who starts within this long of the customer's last word may be starting over them: customers
        // pause this long between the phrases of one turn. Whether it was an interruption is told by what follows
        // (the customer carries on), not by how short the pause was.
        private const int MidTurnPauseMs = 600;
        // The customer must already have had the floor this long in their turn, the agent silent, before an agent
        // start is "over" them. Counted from the turn's start, not the last phrase's: a customer who paused and
        // went on still has the floor. Sound on the customer's line that began while the agent talked (a
        // television, a café, or the customer talking over the agent) does not make the agent's next words an
        // interruption.
        private const int EstablishedMs = 600;
        // The customer must still be heard this long after the agent's start to have carried on. A quick reply
        // meets the end of the customer's last word: its reverberation in the customer's room and the detector's
        // last frames sound like talk for a moment after the words have stopped.
        private const int CarriedOnMs = 300;
        // The customer must keep talking this long, with the agent heard after the customer's start, to count
        // as talking over the agent.
        private const int OverlapConfirmMs = 300;
        // The agent must have held the floor this long before a customer start is talking over them
        // (shorter, and it is a near-simultaneous start or a quick reply).
        private const int AgentHeldFloorMs = 500;
        // A pause this long ends a speaker's turn (shorter pauses are within one turn).
        private const int TurnGapMs = 1500;
        // Voice must last this long to end a silence: a cough, a click or a burst of background talk does not.
        private const int SilenceBreakMs = 200;
        // Talk per side and talk at once fade over about a minute; a call starts as if each side had talked alone a
        // while. Their share is part of the evidence an interruption is judged on: people on a call take turns, so
        // with backchannels and early starts they talk at once for a small share of the time, and much more means
        // one detector is hearing someone else, a television or café behind the customer or a neighbour behind
        // the agent.
        private const int CrosstalkMemoryMs = 60000;
        private const int CrosstalkPriorMs = 3000;

        private readonly int _frameMs;
        private readonly CallStats _stats;
        private readonly ITurnListener _listener;
        private readonly IInterruptionModel _interruptions;
        private readonly InterruptionEvidence _evidence = new InterruptionEvidence();
        private readonly IDeadAirModel _deadAir;
        private readonly DeadAirEvidence _silence = new DeadAirEvidence();
        private DeskConfig _config;

        private int _now;
        private bool _heldByInput;
        private bool _prevAgent;
        private bool _prevCustomer;
        private int _agentSpurtStart;
        private int _customerSpurtStart;
        private int _agentLastLoud;
        private int _customerLastLoud;
        private int _pendingInterruption;
        // The customer spurt the last interruption cut into: a pause and restart within it is the same interruption.
        private int _interruptedSpurt;
        private int _pendingOverlap;
        private bool _agentTurn;
        private int _agentTurnStart;
        private bool _monologueRaised;
        private bool _customerTurn;
        private int _customerTurnStart;
        private int _silenceStart;
        // The last frame a hold or mute kept silence from counting.
        private int _pausedUntil;
        // The dead-air model has judged the silence under way (once, at dead_air_first_ms).
        private bool _silenceJudged;
        private int _voiceRun;
        private int _deadAirStage;
        // Talk per side and talk at once, in ms, each fading with a time constant of CrosstalkMemoryMs.
        private readonly float _crosstalkFade;
        private float _agentTalkMs;
        private float _customerTalkMs;
        private float _bothTalkMs;

        public TurnTracker(DeskConfig config, int frameMs, CallStats stats, ITurnListener listener, IInterruptionModel interruptions,
            IDeadAirModel deadAir)
        {
            _frameMs = frameMs;
            _stats = stats;
            _listener = listener;
            _interruptions = interruptions;
            _deadAir = deadAir;
            _config = config;
            _crosstalkFade = 1f - (float)frameMs / CrosstalkMemoryMs;
            ResetCall();
        }

        public bool InCall { get; private set; }

        /// <summary>On hold by an explicit input or because hold music was heard.</summary>
        public bool OnHold { get; private set; }

        /// <summary>On hold by an explicit input (button or companion command), whatever the line sounds like.</summary>
        public bool HeldByInput { get { return _heldByInput; } }

        public bool Muted { get; private set; }

        /// <summary>0 outside dead air; 1 or 2 while a dead-air episode of that stage is running.</summary>
        public int DeadAirStage { get { return _deadAirStage; } }

        public int NowMs { get { return _now; } }

        /// <summary>What the lines sound like during a silence: fed one frame at a time before each <see cref="Step"/>.</summary>
        public DeadAirEvidence Silence { get { return _silence; } }

        /// <summary>What an agent start over the customer is judged on: fed the customer's level before each <see cref="Step"/>.</summary>
        public InterruptionEvidence Interruption { get { return _evidence; } }

        public void Configure(DeskConfig config)
        {
            _config = config;
        }

        public void Input(int input)
        {
            if (input == DeskInput.CallStart)
            {
                if (InCall)
                {
                    EndCall(_now);
                }

                StartCall(_now);
            }
            else if (input == DeskInput.CallEnd)
            {
                if (InCall)
                {
                    EndCall(_now);
                }
            }
            else if (input == DeskInput.Hold)
            {
                _heldByInput = true;
            }
            else if (input == DeskInput.Resume)
            {
                _heldByInput = false;
            }
            else if (input == DeskInput.Mute)
            {
                Muted = true;
            }
            else if (input == DeskInput.Unmute)
            {
                Muted = false;
            }
        }

        /// <summary>
        /// Advances one frame. <paramref name="agent"/>/<paramref name="customer"/> are confirmed speech (with
        /// hangover); the <c>Loud</c> flags say the frame itself carried voice; <paramref name="holdSound"/> says hold
        /// music is playing on the customer side.
        /// </summary>
        public void Step(bool agent, bool agentLoud, bool customer, bool customerLoud, bool holdSound)
        {
            _now += _frameMs;
            int t = _now;
            if (Muted)
            {
                agent = false;
                agentLoud = false;
            }

            OnHold = _heldByInput || holdSound;
            if (!InCall)
            {
                if ((agent || customer) && !OnHold)
                {
                    StartCall(t - _config.VadOnsetMs - _frameMs);
                }
                else
                {
                    _prevAgent = agent;
                    _prevCustomer = customer;
                    return;
                }
            }

            _stats.AddFrame(_frameMs, agent, customer, OnHold);
            if (!OnHold)
            {
                TrackCrosstalk(agent, customer);
            }

            if (agent && !_prevAgent)
            {
                AgentStarted(t);
            }

            if (customer && !_prevCustomer)
            {
                CustomerStarted(t);
            }

            if (agent && agentLoud)
            {
                _agentLastLoud = t;
            }

            if (customer && customerLoud)
            {
                _customerLastLoud = t;
            }

            ResolveInterruption(t);
            ResolveOverlap(t);
            TrackTurns(t, agent, customer);
            TrackSilence(t, agent || customer, (agent && agentLoud) || (customer && customerLoud));
            _prevAgent = agent;
            _prevCustomer = customer;
        }

        /// <summary>Ends a call in progress now, counting dead air that is still going on.</summary>
        public void Flush()
        {
            if (!InCall)
            {
                return;
            }

            if (_deadAirStage > 0)
            {
                _stats.AddDeadAir(_now - _silenceStart);
                _deadAirStage = 0;
            }

            EndCall(_now);
        }

        private void AgentStarted(int t)
        {
            int onset = OnsetTime(t);
            // Bursts are joined across short gaps: the detector's hangover shapes frames, not turns.
            bool newBurst = onset - _agentLastLoud > AgentBurstEndMs || _agentLastLoud == 0;
            if (newBurst)
            {
                _agentSpurtStart = onset;
            }

            bool customerTalking = _customerLastLoud > 0 && onset - _customerLastLoud <= MidTurnPauseMs;
            int customerFrom = _customerTurn ? _customerTurnStart : _customerSpurtStart;
            int customerAlone = onset - (customerFrom > _agentLastLoud ? customerFrom : _agentLastLoud);
            if (newBurst && customerTalking && customerAlone >= EstablishedMs
                && _interruptedSpurt != _customerSpurtStart && _pendingInterruption < 0)
            {
                _pendingInterruption = onset;
                _evidence.Begin(_customerTurn ? onset - _customerTurnStart : 0, customerAlone, onset - _customerLastLoud);
            }

            // The customer spoke last and has gone quiet: this is the agent's reply.
            int gap = onset - _customerLastLoud;
            if (newBurst && _customerLastLoud > _agentLastLoud && gap >= ReplyGapMs)
            {
                _stats.AddResponseGap(gap);
            }

            if (!_agentTurn)
            {
                _agentTurn = true;
                _agentTurnStart = onset;
                _monologueRaised = false;
            }
        }

        private void CustomerStarted(int t)
        {
            int onset = OnsetTime(t);
            bool newBurst = onset - _customerLastLoud > CustomerBurstEndMs || _customerLastLoud == 0;
            if (!newBurst)
            {
                return;
            }

            _customerSpurtStart = onset;
            bool agentTalking = _agentLastLoud > 0 && onset - _agentLastLoud <= AgentBurstEndMs;
            if (agentTalking && onset - _agentSpurtStart >= AgentHeldFloorMs)
            {
                _pendingOverlap = onset;
            }

            if (!_customerTurn)
            {
                _customerTurn = true;
                _customerTurnStart = onset;
            }
        }

        private void ResolveInterruption(int t)
        {
            if (_pendingInterruption < 0)
            {
                return;
            }

            _evidence.Frame(t == _agentLastLoud, t == _customerLastLoud);
            int talk = t - _pendingInterruption;
            int agentQuiet = t - _agentLastLoud;
            bool customerCarriedOn = _customerLastLoud > _pendingInterruption + CarriedOnMs;
            if (agentQuiet >= AgentBurstEndMs)
            {
                // The burst ended before it became an interruption: with the customer carrying on, a backchannel;
                // otherwise a short reply.
                if (customerCarriedOn && _agentLastLoud - _pendingInterruption <= _config.BackchannelMaxMs)
                {
                    Raise(EventType.Backchannel, t, 1);
                }

                _pendingInterruption = -1;
            }
            else if (agentQuiet == 0 && talk >= _config.BackchannelMaxMs)
            {
                // The agent kept going past any backchannel. If they really talked at once, that was an interruption;
                // if the customer had already stopped, a quick reply. (Waiting for the customer to give way instead
                // was tried: pauses between a customer's phrases under a backchannel look the same, and a real yield
                // comes too late to alert any sooner.) Whether it was the customer and the agent who talked at once,
                // rather than a voice behind either, the trained model judges.
                if (customerCarriedOn && _interruptions.Score(_evidence.Complete(CrosstalkShare())) > 0f)
                {
                    Raise(EventType.Interruption, t, 1);
                    _interruptedSpurt = _customerSpurtStart;
                }

                _pendingInterruption = -1;
            }
        }

        private void ResolveOverlap(int t)
        {
            if (_pendingOverlap < 0)
            {
                return;
            }

            if (t - _customerLastLoud >= CustomerBurstEndMs)
            {
                _pendingOverlap = -1;
            }
            else if (t - _pendingOverlap >= OverlapConfirmMs && t == _customerLastLoud && _agentLastLoud > _pendingOverlap)
            {
                Raise(EventType.CustomerOverlap, t, 1);
                _pendingOverlap = -1;
            }
        }

        private void TrackCrosstalk(bool agent, bool customer)
        {
            _agentTalkMs = _agentTalkMs * _crosstalkFade + (agent ? _frameMs : 0);
            _customerTalkMs = _customerTalkMs * _crosstalkFade + (customer ? _frameMs : 0);
            _bothTalkMs = _bothTalkMs * _crosstalkFade + (agent && customer ? _frameMs : 0);
        }

        private float CrosstalkShare()
        {
            float quieterSide = _agentTalkMs < _customerTalkMs ? _agentTalkMs : _customerTalkMs;
            return quieterSide > 0f ? _bothTalkMs / quieterSide : 0f;
        }

        private void TrackTurns(int t, bool agent, bool customer)
        {
            if (_agentTurn)
            {
                bool customerTookOver = customer && t - _customerSpurtStart >= _config.BackchannelMaxMs;
                if ((!agent && t - _agentLastLoud >= TurnGapMs) || customerTookOver)
                {
                    _stats.AddAgentTurn(_agentLastLoud - _agentTurnStart);
                    _agentTurn = false;
                }
                else if (!_monologueRaised && t - _agentTurnStart >= _config.MonologueMs)
                {
                    Raise(EventType.Monologue, t, 1);
                    _monologueRaised = true;
                }
            }

            if (_customerTurn)
            {
                bool agentTookOver = agent && t - _agentSpurtStart >= _config.BackchannelMaxMs;
                if ((!customer && t - _customerLastLoud >= TurnGapMs) || agentTookOver)
                {
                    _stats.AddCustomerTurn(_customerLastLoud - _customerTurnStart);
                    _customerTurn = false;
                }
            }
        }

        private void TrackSilence(int t, bool voice, bool voiceLoud)
        {
            // Only voiced frames count towards breaking a silence, not the detector's hangover.
            _voiceRun = !voice ? 0 : voiceLoud ? _voiceRun + _frameMs : _voiceRun;
            bool silenceBroken = voice && (_silenceStart < 0 || _voiceRun >= SilenceBreakMs);
            if (OnHold || Muted)
            {
                _pausedUntil = t;
            }

            if (silenceBroken || OnHold || Muted)
            {
                if (_deadAirStage > 0)
                {
                    int end = voice ? t - _voiceRun : t;
                    _stats.AddDeadAir(end - _silenceStart);
                }

                _deadAirStage = 0;
                _silenceStart = -1;
                return;
            }

            if (_silenceStart < 0)
            {
                // Silence is timed from the last voice, or from the end of a hold or mute if that came later (a hold
                // can end in a moment of sound that is not voice enough to count, so the end is remembered).
                int lastVoice = _agentLastLoud > _customerLastLoud ? _agentLastLoud : _customerLastLoud;
                int from = lastVoice > _pausedUntil ? lastVoice : _pausedUntil;
                _silenceStart = from <= 0 ? t - _frameMs : from;
                _silence.Begin();
                _silenceJudged = false;
            }

            int silent = t - _silenceStart;
            if (!_silenceJudged && silent >= _config.DeadAirFirstMs)
            {
                // The rules time a silence; whether the lines sound like dead air or like a hold the hold detector
                // missed (or a customer the voice detector lost), the trained model judges, once.
                _silenceJudged = true;
                if (_deadAir.Score(_silence.Complete()) > 0f)
                {
                    _deadAirStage = 1;
                    Raise(EventType.DeadAir, t, 1);
                }
            }
            else if (_deadAirStage == 1 && silent >= _config.DeadAirSecondMs)
            {
                _deadAirStage = 2;
                Raise(EventType.DeadAir, t, 2);
            }

            if (silent >= _config.CallEndSilenceMs)
            {
                // Nobody is on the line any more: the call ended when the talking did. The trailing silence
                // is not part of the call, so it does not count as dead air either.
                _deadAirStage = 0;
                EndCall(_silenceStart);
            }
        }

        private int OnsetTime(int t)
        {
            // Speech is confirmed only after the onset frames; it began that much earlier.
            int onset = t - _config.VadOnsetMs - _frameMs;
            return onset < 0 ? 0 : onset;
        }

        private void StartCall(int startMs)
        {
            ResetCall();
            InCall = true;
            _stats.Begin(startMs < 0 ? 0 : startMs);
            Raise(EventType.CallStart, startMs < 0 ? 0 : startMs, 1);
        }

        private void EndCall(int endMs)
        {
            if (_agentTurn)
            {
                _stats.AddAgentTurn(_agentLastLoud - _agentTurnStart);
            }

            if (_customerTurn)
            {
                _stats.AddCustomerTurn(_customerLastLoud - _customerTurnStart);
            }

            _stats.End(endMs < _stats.StartMs ? _stats.StartMs : endMs);
            InCall = false;
            Raise(EventType.CallEnd, endMs, 1);
            ResetCall();
        }

        private void ResetCall()
        {
            _prevAgent = false;
            _prevCustomer = false;
            _agentSpurtStart = 0;
            _customerSpurtStart = 0;
            _agentLastLoud = 0;
            _customerLastLoud = 0;
            _pendingInterruption = -1;
            _interruptedSpurt = -1;
            _pendingOverlap = -1;
            _agentTurn = false;
            _monologueRaised = false;
            _customerTurn = false;
            _silenceStart = -1;
            _pausedUntil = 0;
            _silenceJudged = false;
            _voiceRun = 0;
            _deadAirStage = 0;
            _agentTalkMs = CrosstalkPriorMs;
            _customerTalkMs = CrosstalkPriorMs;
            _bothTalkMs = 0f;
        }

        private void Raise(int type, int timeMs, int stage)
        {
            _listener.OnTurnEvent(type, timeMs, stage);
        }
    }
}
