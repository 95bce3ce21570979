namespace Kuulo.Core.Config
{
    /// <summary>
    /// Every threshold and alert setting of the desk unit, in one place, with defaults and ranges.
    /// The companion validates with the same table before it pushes a configuration, and the
    /// device validates again before it applies one: an out-of-range value is rejected, never clamped.
    /// </summary>
    public sealed class DeskConfig
    {
        // Parameter ids: indexes into Parameters and into the value array.
        public const int FrameMsId = 0;
        public const int VadThresholdDbId = 1;
        public const int VadOnsetMsId = 2;
        public const int VadHangoverMsId = 3;
        public const int EchoMarginDbId = 4;
        public const int EchoMaxDelayMsId = 5;
        public const int BackchannelMaxMsId = 6;
        public const int DeadAirFirstMsId = 7;
        public const int DeadAirSecondMsId = 8;
        public const int MonologueMsId = 9;
        public const int CallEndSilenceMsId = 10;
        public const int AlertCooldownMsId = 11;
        public const int QuietId = 12;
        public const int BuzzerId = 13;
        public const int LedBrightnessId = 14;
        public const int HoldDetectMsId = 15;
        public const int VadSensitivityId = 16;
        public const int HoldLevelDbId = 17;


        /// <summary>The parameter table. Index = parameter id. Do not reorder: ids are stable.</summary>
        public static readonly ConfigParameter[] Parameters = new ConfigParameter[]
        {
            new ConfigParameter("frame_ms", 20, 10, 20, "ms", "Analysis frame length; 10 or 20."),
            new ConfigParameter("vad_threshold_db", 3, 0, 30, "dB", "A frame less than this above its channel's noise floor is never speech, whatever the voice model says."),
            new ConfigParameter("vad_onset_ms", 40, 0, 300, "ms", "Loud frames needed before speech is confirmed."),
            new ConfigParameter("vad_hangover_ms", 80, 0, 1000, "ms", "Speech is held this long after the last loud frame."),
            new ConfigParameter("echo_margin_db", 8, 0, 30, "dB", "Agent frames must exceed the estimated customer echo by this much."),
            new ConfigParameter("echo_max_delay_ms", 80, 0, 200, "ms", "Longest echo/sidetone delay the guard looks back over."),
            new ConfigParameter("backchannel_max_ms", 800, 200, 3000, "ms", "Agent talk over the customer up to this long is a backchannel; longer is an interruption."),
            new ConfigParameter("dead_air_first_ms", 5000, 1000, 60000, "ms", "Silence on both sides before the first dead-air alert."),
            new ConfigParameter("dead_air_second_ms", 10000, 2000, 120000, "ms", "Silence on both sides before the second-stage dead-air alert."),
            new ConfigParameter("monologue_ms", 60000, 10000, 600000, "ms", "Continuous agent talk before a monologue alert."),
            new ConfigParameter("call_end_silence_ms", 30000, 5000, 600000, "ms", "Silence on both sides that ends a call started by activity."),
            new ConfigParameter("alert_cooldown_ms", 15000, 0, 600000, "ms", "Minimum time between two alerts of the same kind."),
            new ConfigParameter("quiet", 0, 0, 1, "bool", "1 = count everything but never light or buzz."),
            new ConfigParameter("buzzer", 1, 0, 1, "bool", "1 = buzz on alerts, 0 = light only."),
            new ConfigParameter("led_brightness", 60, 0, 100, "%", "LED brightness."),
            new ConfigParameter("hold_detect_ms", 2000, 500, 10000, "ms", "The customer side sounding held (music above the call's background, or a silenced line) with no speech this long means the call is on hold."),
            new ConfigParameter("vad_sensitivity", 50, 0, 100, "%", "How readily the voice model calls a frame speech: 50 is its trained balance; higher hears more speech and more noise."),
            new ConfigParameter("hold_level_db", 9, 2, 30, "dB", "Customer sound this far above the call's background, with no speech, sounds like hold music."),
        };

        private readonly int[] _values;

        public DeskConfig()
        {
            _values = new int[Parameters.Length];
            for (int i = 0; i < _values.Length; i++)
            {
                _values[i] = Parameters[i].Default;
            }
        }

        /// <summary>Configuration version, assigned by the companion; 0 = factory defaults.</summary>
        public int Version { get; set; }

        public int FrameMs { get { return _values[FrameMsId]; } }
        public int VadThresholdDb { get { return _values[VadThresholdDbId]; } }
        public int VadOnsetMs { get { return _values[VadOnsetMsId]; } }
        public int VadHangoverMs { get { return _values[VadHangoverMsId]; } }
        public int EchoMarginDb { get { return _values[EchoMarginDbId]; } }
        public int EchoMaxDelayMs { get { return _values[EchoMaxDelayMsId]; } }
        public int BackchannelMaxMs { get { return _values[BackchannelMaxMsId]; } }
        public int DeadAirFirstMs { get { return _values[DeadAirFirstMsId]; } }
        public int DeadAirSecondMs { get { return _values[DeadAirSecondMsId]; } }
        public int MonologueMs { get { return _values[MonologueMsId]; } }
        public int CallEndSilenceMs { get { return _values[CallEndSilenceMsId]; } }
        public int AlertCooldownMs { get { return _values[AlertCooldownMsId]; } }
        public bool Quiet { get { return _values[QuietId] != 0; } }
        public bool Buzzer { get { return _values[BuzzerId] != 0; } }
        public int LedBrightness { get { return _values[LedBrightnessId]; } }
        public int HoldDetectMs { get { return _values[HoldDetectMsId]; } }
        public int VadSensitivity { get { return _values[VadSensitivityId]; } }
        public int HoldLevelDb { get { return _values[HoldLevelDbId]; } }

        public int Get(int id)
        {
            return _values[id];
        }

        /// <summary>Parameter id for a wire name, or -1.</summary>
        public static int IdOf(string name)
        {
            for (int i = 0; i < Parameters.Length; i++)
            {
                if (Parameters[i].Name == name)
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>Sets one value after checking its range; returns null on success, else why it was rejected.</summary>
        public string Set(int id, int value)
        {
            string error = Parameters[id].Check(value);
            if (error == null)
            {
                _values[id] = value;
            }

            return error;
        }

        /// <summary>Sets a value by wire name; returns null on success, else why it was rejected.</summary>
        public string Set(string name, int value)
        {
            int id = IdOf(name);
            if (id < 0)
            {
                return "unknown setting '" + name + "'";
            }

            return Set(id, value);
        }

        /// <summary>Rules that tie parameters together. Null when the whole configuration is coherent.</summary>
        public string Validate()
        {
            for (int i = 0; i < _values.Length; i++)
            {
                string error = Parameters[i].Check(_values[i]);
                if (error != null)
                {
                    return error;
                }
            }

            if (FrameMs != 10 && FrameMs != 20)
            {
                return "frame_ms must be 10 or 20 (got " + FrameMs.ToString() + ")";
            }

            if (DeadAirSecondMs <= DeadAirFirstMs)
            {
                return "dead_air_second_ms (" + DeadAirSecondMs.ToString() + ") must be greater than dead_air_first_ms ("
                    + DeadAirFirstMs.ToString() + ")";
            }

            if (CallEndSilenceMs <= DeadAirSecondMs)
            {
                return "call_end_silence_ms (" + CallEndSilenceMs.ToString() + ") must be greater than dead_air_second_ms ("
                    + DeadAirSecondMs.ToString() + ")";
            }

            return null;
        }

        public DeskConfig Clone()
        {
            DeskConfig copy = new DeskConfig();
            for (int i = 0; i < _values.Length; i++)
            {
                copy._values[i] = _values[i];
            }

            copy.Version = Version;
            return copy;
        }
    }
}
