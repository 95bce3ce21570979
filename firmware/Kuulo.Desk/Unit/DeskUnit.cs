using System.Diagnostics;
using Kuulo.Core;
using Kuulo.Core.Alerts;
using Kuulo.Core.Config;
using Kuulo.Core.Protocol;
using Kuulo.Core.Turns;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Kuulo.Desk.Unit;

/// <summary>
/// One desk unit on a host, behaving on the network as the ESP32 does: the same core and protocol, the same
/// offline queue semantics, last will, configuration and commands from the companion.
/// </summary>
public sealed class DeskUnit : IDeskListener, IAsyncDisposable
{
    private readonly UnitOptions _options;
    private readonly PcmSource _source;
    private readonly Outbox _outbox;
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly object _engineLock = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Stopwatch _uptime = Stopwatch.StartNew();
    private readonly string _configPath;
    private readonly OtaInstaller _ota;
    // One offer at a time: the same offer can arrive twice (retained, and again on a new subscription), and the
    // second must find the first one's outcome, not download alongside it.
    private readonly SemaphoreSlim _otaTurn = new(1, 1);
    private CalibrationRun? _calibration;
    private DeskEngine _engine = null!;
    private long _callStartUnixMs;
    private int _callStartEngineMs;
    private int _callNumber;
    private long _lastCommandId;
    private ConfigReport _report = new();
    private volatile bool _audioDone;

    public DeskUnit(UnitOptions options, PcmSource source)
    {
        _options = options;
        _source = source;
        _outbox = new Outbox(Path.Combine(options.DataDirectory, "outbox"), options.QueueCapacity);
        _configPath = Path.Combine(options.DataDirectory, "config.json");
        _ota = new OtaInstaller(options);
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
    }

    public string DeviceId => _options.DeviceId;
    public bool Connected => _client.IsConnected;
    public int Queued => _outbox.Count;
    public int Dropped => _outbox.Dropped;
    public int Calls { get; private set; }

    /// <summary>The LED now (<see cref="IndicatorPattern"/>) and whether the buzzer sounded in the last second.</summary>
    public int Indicator { get; private set; }

    public bool Buzzing => Environment.TickCount64 < _buzzUntil;
    public string LastEvent { get; private set; } = "";
    public int ConfigVersion => _report.AppliedVersion;
    public string Firmware => _ota.Running;
    private long _buzzUntil;

    /// <summary>
    /// Plays the audio to its end, keeps sending until the queue is empty, then says goodbye. Cancelling is a power
    /// cut: the unit stops where it is and whatever is queued stays queued.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var config = LoadAppliedConfig();
        _engine = new DeskEngine(config, _source.SampleRate, this);
        _report = new ConfigReport { AppliedVersion = config.Version };
        var network = NetworkLoopAsync(cancellationToken);
        try
        {
            await Task.Run(() => AudioLoopAsync(cancellationToken), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            _audioDone = true;
            _wake.Release();
        }

        try
        {
            await network;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
        _source.Dispose();
    }

    // --- audio --------------------------------------------------------------------------------

    private async Task AudioLoopAsync(CancellationToken cancellationToken)
    {
        var frame = new short[_engine.FrameSamples * 2];
        var clock = Stopwatch.StartNew();
        long audioMs = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!_source.Read(frame))
            {
                // The end of a conversation is the end of its call.
                lock (_engineLock)
                {
                    _engine.Flush();
                    Indicator = _engine.Indicator;
                }

                if (!_source.NextConversation())
                {
                    return;
                }

                if (_source.SampleRate != _engine.SampleRate)
                {
                    // A host unit may play files of either rate; a device's codec has one. Restart detection at the new rate.
                    lock (_engineLock)
                    {
                        _engine = new DeskEngine(_engine.Config, _source.SampleRate, this);
                    }

                    frame = new short[_engine.FrameSamples * 2];
                }

                continue;
            }

            CalibrationReport? calibrated = null;
            lock (_engineLock)
            {
                _engine.ProcessFrame(frame, 0);
                Indicator = _engine.Indicator;
                if (_calibration != null && _calibration.Add(_engine))
                {
                    calibrated = _calibration.Report(_engine);
                    _calibration = null;
                }
            }

            if (calibrated != null)
            {
                LastEvent = "calibration done";
                _ = PublishAsync(Topics.Calibration, calibrated.ToJson(), retain: false, CancellationToken.None);
            }

            audioMs += _engine.FrameMs;
            if (_options.Speed > 0 && audioMs % 200 == 0)
            {
                double ahead = audioMs / _options.Speed - clock.Elapsed.TotalMilliseconds;
                if (ahead > 5)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(ahead), cancellationToken);
                }
            }
        }
    }

    void IDeskListener.OnEvent(int type, int timeMs, int stage)
    {
        LastEvent = EventType.Name(type);
        if (type == EventType.CallStart)
        {
            _outbox.CountCall();
            _callNumber = _outbox.CallsStarted;
            _callStartUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            _callStartEngineMs = timeMs;
        }
    }

    void IDeskListener.OnAlert(int type, int timeMs, int stage, int pattern, bool buzz)
    {
        if (buzz)
        {
            _buzzUntil = Environment.TickCount64 + 1000;
        }

        var alert = new AlertMessage
        {
            CallNumber = _callNumber, UnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            AtMs = Math.Max(0, timeMs - _callStartEngineMs), Type = type, Stage = stage,
        };
        _outbox.Enqueue(Topics.Alert, seq =>
        {
            alert.Seq = seq;
            return alert.ToJson();
        });
        _wake.Release();
    }

    void IDeskListener.OnCallEnded(CallSummary summary)
    {
        summary.CallNumber = _callNumber;
        summary.StartUnixMs = _callStartUnixMs;
        _outbox.Enqueue(Topics.Call, seq =>
        {
            summary.Seq = seq;
            return summary.ToJson();
        });
        Calls++;
        _wake.Release();
    }

    // --- network ------------------------------------------------------------------------------

    private async Task NetworkLoopAsync(CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        var nextStatus = TimeSpan.Zero;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!_client.IsConnected)
            {
                try
                {
                    await ConnectAsync(cancellationToken);
                    backoff = TimeSpan.FromMilliseconds(250);
                    nextStatus = TimeSpan.Zero;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    LastEvent = "offline: " + ex.Message;
                    if (_audioDone && _outbox.Count == 0)
                    {
                        return;
                    }

                    await WaitAsync(backoff, cancellationToken);
                    backoff = TimeSpan.FromMilliseconds(Math.Min(10_000, backoff.TotalMilliseconds * 2));
                    continue;
                }
            }

            try
            {
                await SendQueuedAsync(cancellationToken);
                if (_uptime.Elapsed >= nextStatus)
                {
                    await PublishStatusAsync(online: true, cancellationToken);
                    nextStatus = _uptime.Elapsed + _options.StatusInterval;
                }

                if (_audioDone && _outbox.Count == 0)
                {
                    // A planned stop: say so, since a clean disconnect does not fire the last will.
                    await PublishStatusAsync(online: false, cancellationToken);
                    await _client.DisconnectAsync(cancellationToken: CancellationToken.None);
                    return;
                }
            }
            catch (Exception ex)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                LastEvent = "send failed: " + ex.Message;
            }

            await WaitAsync(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.BrokerHost, _options.BrokerPort)
            .WithClientId(_options.DeviceId)
            .WithCredentials(_options.DeviceId, _options.Password)
            .WithProtocolVersion(_options.Mqtt311 ? MqttProtocolVersion.V311 : MqttProtocolVersion.V500)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithWillTopic(Topics.For(_options.DeviceId, Topics.Status))
            .WithWillPayload(StatusMessage.OfflineJson())
            .WithWillRetain()
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (_options.Tls)
        {
            builder.WithTlsOptions(o => o.UseTls());
        }

        var result = await _client.ConnectAsync(builder.Build(), cancellationToken);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"broker refused {_options.DeviceId}: {result.ResultCode}");
        }

        try
        {
            await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(Topics.For(_options.DeviceId, Topics.ConfigDesired), MqttQualityOfServiceLevel.AtLeastOnce)
                .WithTopicFilter(Topics.For(_options.DeviceId, Topics.Command), MqttQualityOfServiceLevel.AtLeastOnce)
                .WithTopicFilter(Topics.For(_options.DeviceId, Topics.OtaOffer), MqttQualityOfServiceLevel.AtLeastOnce)
                .Build(), cancellationToken);
        }
        catch
        {
            // Connected but not subscribed would look online and never hear a configuration, command or firmware
            // offer, since the network loop only reconnects a disconnected client: drop the connection and retry.
            await _client.DisconnectAsync(cancellationToken: CancellationToken.None);
            throw;
        }

        LastEvent = "online";
    }

    /// <summary>Sends the queue oldest first; a message leaves the queue only once the broker acknowledged it.</summary>
    private async Task SendQueuedAsync(CancellationToken cancellationToken)
    {
        while (_client.IsConnected && _outbox.Peek() is { } message)
        {
            var result = await _client.PublishAsync(new MqttApplicationMessageBuilder()
                .WithTopic(Topics.For(_options.DeviceId, message.Leaf))
                .WithPayload(message.Payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build(), cancellationToken);
            if (result.ReasonCode is MqttClientPublishReasonCode.UnspecifiedError or MqttClientPublishReasonCode.ImplementationSpecificError
                or MqttClientPublishReasonCode.QuotaExceeded)
            {
                // The broker could not take it now: keep it and try again later.
                return;
            }

            // Success, or refused for good (the companion keeps refused messages with the reason): either way, done.
            _outbox.Remove(message.Seq);
        }
    }

    private Task PublishStatusAsync(bool online, CancellationToken cancellationToken)
    {
        string payload = online
            ? new StatusMessage
            {
                Online = true, UnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Firmware = _ota.Running, Rssi = 0,
                FreeHeapBytes = (int)Math.Min(int.MaxValue, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes - GC.GetTotalMemory(false)),
                UptimeSeconds = (int)_uptime.Elapsed.TotalSeconds, ConfigVersion = _report.AppliedVersion, Queued = _outbox.Count,
                Dropped = _outbox.Dropped, InCall = _engine.InCall,
            }.ToJson()
            : StatusMessage.OfflineJson();
        return PublishAsync(Topics.Status, payload, retain: true, cancellationToken);
    }

    private Task PublishAsync(string leaf, string payload, bool retain, CancellationToken cancellationToken) =>
        _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(Topics.For(_options.DeviceId, leaf))
            .WithPayload(payload).WithRetainFlag(retain).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        string topic = e.ApplicationMessage.Topic;
        string payload = e.ApplicationMessage.ConvertPayloadToString();
        if (topic.EndsWith("/" + Topics.ConfigDesired, StringComparison.Ordinal))
        {
            ApplyConfig(payload);
            await PublishAsync(Topics.ConfigReported, _report.ToJson(), retain: true, CancellationToken.None);
        }
        else if (topic.EndsWith("/" + Topics.OtaOffer, StringComparison.Ordinal))
        {
            // Off the client's receive loop: the download takes a while and the unit keeps working meanwhile.
            _ = Task.Run(() => UpdateFirmwareAsync(payload));
        }
        else if (topic.EndsWith("/" + Topics.Command, StringComparison.Ordinal))
        {
            var command = CommandMessage.Parse(payload, out var error);
            if (command == null)
            {
                LastEvent = "command refused: " + error;
            }
            else if (command.Id != _lastCommandId && command.Command == CommandMessage.Calibrate)
            {
                _lastCommandId = command.Id;
                lock (_engineLock)
                {
                    _calibration = new CalibrationRun(command.Id);
                }

                LastEvent = "calibrating";
            }
            else if (command.Id != _lastCommandId)
            {
                _lastCommandId = command.Id;
                lock (_engineLock)
                {
                    _engine.Input(DeskInput.FromCommand(command.Command));
                }

                LastEvent = "command " + command.Command;
            }
        }
    }

    private async Task UpdateFirmwareAsync(string offer)
    {
        await _otaTurn.WaitAsync();
        try
        {
            await _ota.HandleAsync(offer, async report =>
            {
                LastEvent = $"firmware {report.FirmwareVersion}: {report.State}" + (report.Error != null ? " (" + report.Error + ")" : "");
                await PublishAsync(Topics.OtaReport, report.ToJson(), retain: true, CancellationToken.None);
                if (report.State == OtaReport.Installed)
                {
                    await PublishStatusAsync(online: true, CancellationToken.None);
                }
            }, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LastEvent = "firmware update: " + ex.Message;
        }
        finally
        {
            _otaTurn.Release();
        }
    }

    /// <summary>Validates and applies a desired configuration, persists it, and notes what to report.</summary>
    private void ApplyConfig(string json)
    {
        var config = ConfigMessage.Parse(json, out var error);
        string? refused = error;
        if (config != null)
        {
            if (config.Version == _report.AppliedVersion)
            {
                return;
            }

            lock (_engineLock)
            {
                refused = _engine.Apply(config);
            }
        }

        if (refused == null)
        {
            File.WriteAllText(_configPath, json);
            _report = new ConfigReport { AppliedVersion = config!.Version };
            LastEvent = $"config v{config.Version} applied";
        }
        else
        {
            int version = JsonReader.Parse(json, out _) is { } obj && obj.TryGetNumber("ver", out long v) ? (int)v : 0;
            _report = new ConfigReport { AppliedVersion = _report.AppliedVersion, RejectedVersion = Math.Max(1, version), Error = refused };
            LastEvent = "config refused: " + refused;
        }
    }

    private DeskConfig LoadAppliedConfig()
    {
        Directory.CreateDirectory(_options.DataDirectory);
        if (File.Exists(_configPath))
        {
            var config = ConfigMessage.Parse(File.ReadAllText(_configPath), out _);
            if (config != null)
            {
                return config;
            }
        }

        return new DeskConfig();
    }

    private async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _wake.WaitAsync(timeout, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
