using System;
using System.Threading;
using Kuulo.Core;
using Kuulo.Core.Config;
using Kuulo.Core.Protocol;
using Kuulo.Core.Turns;
using Kuulo.Firmware.Indicators;
using Kuulo.Firmware.Input;
using Kuulo.Firmware.Net;
using Kuulo.Firmware.Storage;

namespace Kuulo.Firmware.Device
{
    /// <summary>
    /// The desk unit: the core's listener on the device. Alerts light and buzz at once and are queued for the
    /// companion with call summaries; configuration and commands arrive from MQTT and are applied between frames.
    /// </summary>
    public sealed class DeskDevice : IDeskListener
    {
        private readonly Led _led;
        private readonly Buzzer _buzzer;
        private readonly FlashQueue _queue;
        private readonly object _engineLock = new object();
        private DeskEngine _engine;
        private ConfigReport _report = new ConfigReport();
        private long _lastCommandId;
        private int _callNumber;
        private long _callStartUnixMs;
        private int _callStartMs;

        public DeskDevice(Led led, Buzzer buzzer, FlashQueue queue)
        {
            _led = led;
            _buzzer = buzzer;
            _queue = queue;
        }

        public DeskEngine Engine { get { return _engine; } }
        public ConfigReport Report { get { return _report; } }

        public void Start(int sampleRate)
        {
            DeskConfig config = ConfigStore.Load();
            _engine = new DeskEngine(config, sampleRate, this);
            _report.AppliedVersion = config.Version;
            _led.SetBrightness(config.LedBrightness);
        }

        public void ProcessFrame(short[] frame, Button button)
        {
            lock (_engineLock)
            {
                int input = button.Take(_engine.InCall, _engine.OnHold, _engine.Muted);
                if (input != 0)
                {
                    _engine.Input(input);
                }

                _engine.ProcessFrame(frame, 0);
                long now = DateTime.UtcNow.Ticks / TimeSpan.TicksPerMillisecond;
                _led.Show(_engine.Indicator, now);
                _buzzer.Tick(now);
            }
        }

        /// <summary>A message on config/desired or cmd (MQTT thread).</summary>
        public void OnMessage(string leaf, string payload)
        {
            if (leaf == Topics.ConfigDesired)
            {
                string error;
                DeskConfig config = ConfigMessage.Parse(payload, out error);
                lock (_engineLock)
                {
                    if (config != null && config.Version == _report.AppliedVersion)
                    {
                        return;
                    }

                    string refused = config == null ? error : _engine.Apply(config);
                    if (refused == null)
                    {
                        ConfigStore.Save(payload);
                        _report = new ConfigReport();
                        _report.AppliedVersion = config.Version;
                        _led.SetBrightness(config.LedBrightness);
                    }
                    else
                    {
                        ConfigReport rejected = new ConfigReport();
                        rejected.AppliedVersion = _report.AppliedVersion;
                        rejected.RejectedVersion = config != null ? config.Version : 1;
                        rejected.Error = refused;
                        _report = rejected;
                    }

                    ReportPending = true;
                }
            }
            else if (leaf == Topics.Command)
            {
                string error;
                CommandMessage command = CommandMessage.Parse(payload, out error);
                if (command != null && command.Id != _lastCommandId)
                {
                    _lastCommandId = command.Id;
                    lock (_engineLock)
                    {
                        _engine.Input(DeskInput.FromCommand(command.Command));
                    }
                }
            }
        }

        /// <summary>A config report waits to be published.</summary>
        public bool ReportPending { get; set; }

        public void OnEvent(int type, int timeMs, int stage)
        {
            if (type == EventType.CallStart)
            {
                _callNumber = _queue.CountCall();
                _callStartUnixMs = UnixNowMs();
                _callStartMs = timeMs;
            }
        }

        public void OnAlert(int type, int timeMs, int stage, int pattern, bool buzz)
        {
            if (buzz)
            {
                _buzzer.Chirp(DateTime.UtcNow.Ticks / TimeSpan.TicksPerMillisecond);
            }

            AlertMessage alert = new AlertMessage();
            alert.CallNumber = _callNumber;
            alert.UnixMs = UnixNowMs();
            alert.AtMs = timeMs - _callStartMs;
            alert.Type = type;
            alert.Stage = stage;
            _queue.Enqueue(Topics.Alert, null, alert);
        }

        public void OnCallEnded(CallSummary summary)
        {
            summary.CallNumber = _callNumber;
            summary.StartUnixMs = _callStartUnixMs;
            _queue.Enqueue(Topics.Call, summary, null);
        }

        private static long UnixNowMs()
        {
            // The epoch offset in ticks; DateTime.UtcNow is set by SNTP once Wi-Fi is up.
            return (DateTime.UtcNow.Ticks - 621355968000000000L) / TimeSpan.TicksPerMillisecond;
        }
    }
}
