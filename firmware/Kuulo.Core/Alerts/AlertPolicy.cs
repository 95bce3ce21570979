using Kuulo.Core.Config;
using Kuulo.Core.Turns;

namespace Kuulo.Core.Alerts
{
    /// <summary>
    /// Decides which detected events the agent actually sees or hears, so the light stays a gentle nudge:
    /// one alert per kind per cooldown, nothing in quiet mode, a buzz only where a glance is not enough.
    /// Also says what the LED shows at any moment.
    /// </summary>
    public sealed class AlertPolicy
    {
        // How long a momentary alert stays lit. Dead air stays lit until someone talks.
        private const int InterruptionShowMs = 3000;
        private const int MonologueShowMs = 5000;
        private const int Forever = int.MaxValue;

        // Indexed by event type.
        private readonly int[] _lastShown = new int[10];
        private DeskConfig _config;
        private bool _quietByInput;
        private bool _deadAirEpisodeShown;
        private int _pattern;
        private int _patternUntil;

        public AlertPolicy(DeskConfig config)
        {
            _config = config;
            Reset();
        }

        public bool Quiet { get { return _config.Quiet || _quietByInput; } }

        public void Configure(DeskConfig config)
        {
            _config = config;
        }

        public void SetQuiet(bool quiet)
        {
            _quietByInput = quiet;
        }

        /// <summary>Forgets cooldowns and clears the light; called at each call start.</summary>
        public void Reset()
        {
            for (int i = 0; i < _lastShown.Length; i++)
            {
                _lastShown[i] = int.MinValue / 2;
            }

            _deadAirEpisodeShown = false;
            _pattern = IndicatorPattern.Off;
            _patternUntil = 0;
        }

        /// <summary>
        /// Whether an alerting event is shown; when it is, <paramref name="pattern"/> and <paramref name="buzz"/> say how.
        /// </summary>
        public bool Decide(int type, int timeMs, int stage, out int pattern, out bool buzz)
        {
            pattern = IndicatorPattern.Off;
            buzz = false;
            if (!EventType.IsAlert(type) || Quiet)
            {
                return false;
            }

            // Dead air's second stage belongs to the episode whose first stage was shown: no cooldown for it.
            bool secondStage = type == EventType.DeadAir && stage == 2;
            if (secondStage ? !_deadAirEpisodeShown : timeMs - _lastShown[type] < _config.AlertCooldownMs)
            {
                return false;
            }

            _lastShown[type] = timeMs;
            if (type == EventType.Interruption)
            {
                pattern = IndicatorPattern.Interruption;
                buzz = _config.Buzzer;
                Show(pattern, timeMs + InterruptionShowMs);
            }
            else if (type == EventType.DeadAir)
            {
                _deadAirEpisodeShown = true;
                pattern = secondStage ? IndicatorPattern.DeadAirUrgent : IndicatorPattern.DeadAir;
                buzz = secondStage && _config.Buzzer;
                Show(pattern, Forever);
            }
            else
            {
                pattern = IndicatorPattern.Monologue;
                Show(pattern, timeMs + MonologueShowMs);
            }

            return true;
        }

        /// <summary>Someone spoke: a dead-air light goes out and the next episode starts afresh.</summary>
        public void VoiceResumed()
        {
            _deadAirEpisodeShown = false;
            if (_pattern == IndicatorPattern.DeadAir || _pattern == IndicatorPattern.DeadAirUrgent)
            {
                _pattern = IndicatorPattern.Off;
                _patternUntil = 0;
            }
        }

        /// <summary>The LED pattern at <paramref name="timeMs"/>.</summary>
        public int Indicator(int timeMs, bool inCall, bool paused)
        {
            if (!inCall)
            {
                return IndicatorPattern.Off;
            }

            if (_pattern != IndicatorPattern.Off && timeMs < _patternUntil)
            {
                return _pattern;
            }

            return paused ? IndicatorPattern.Paused : IndicatorPattern.InCall;
        }

        private void Show(int pattern, int untilMs)
        {
            _pattern = pattern;
            _patternUntil = untilMs;
        }
    }
}
