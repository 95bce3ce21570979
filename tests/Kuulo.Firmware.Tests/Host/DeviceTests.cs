using Kuulo.Core.Config;
using Kuulo.Core.Protocol;
using Kuulo.Core.Turns;
using Kuulo.Firmware.Device;
using Kuulo.Firmware.Indicators;
using Kuulo.Firmware.Net;
using Kuulo.Firmware.Storage;

namespace Kuulo.Firmware.Tests.Host;

/// <summary>
/// The firmware's settings, stored configuration and DeskDevice's message handling, compiled from its source,
/// on the simulated drive: provisioning mistakes, configurations the core refuses, and restarts.
/// </summary>
[Collection(FlashCollection.Name)]
public sealed class DeviceTests : IDisposable
{
    private const string Settings = @"I:\kuulo\settings.json";
    private const string StoredConfig = @"I:\kuulo\config.json";
    private readonly string _root = System.IO.Directory.CreateTempSubdirectory("kuulo-device-").FullName;

    public DeviceTests() => FlashDrive.Mount(_root);

    [Fact]
    public void MissingSettingsSayHowToProvision()
    {
        Assert.Null(DeviceSettings.Load(out string error));
        Assert.Contains("missing: provision the unit", error);
    }

    [Theory]
    [InlineData("{\"wifi_ssid\":\"desk-net\"", "settings.json: ")]
    [InlineData("\u0000\u00ff garbage", "settings.json: ")]
    [InlineData("{\"wifi_ssid\":\"desk-net\",\"broker_host\":\"mqtt\",\"device_id\":\"Desk 01!\",\"device_password\":\"p\"}", "device_id")]
    public void CorruptOrIncompleteSettingsAreRefusedWithTheReason(string json, string expected)
    {
        Write(Settings, json);
        Assert.Null(DeviceSettings.Load(out string error));
        Assert.Contains(expected, error);
    }

    [Fact]
    public void ValidSettingsLoad()
    {
        Write(Settings, "{\"wifi_ssid\":\"desk-net\",\"wifi_password\":\"w\",\"broker_host\":\"mqtt.example\",\"broker_port\":8883,\"tls\":true,\"device_id\":\"desk-01\",\"device_password\":\"p\"}");
        var settings = DeviceSettings.Load(out string error);
        Assert.Null(error);
        Assert.Equal(("desk-net", "mqtt.example", 8883, true, "desk-01"), (settings.WifiSsid, settings.BrokerHost, settings.BrokerPort, settings.Tls, settings.DeviceId));
    }

    [Fact]
    public void AnAcceptedConfigIsAppliedStoredAndBackAfterARestart()
    {
        var device = Start();
        device.OnMessage(Topics.ConfigDesired, "{\"v\":1,\"ver\":7,\"led_brightness\":30}");
        Assert.True(device.ReportPending);
        Assert.Equal(7, device.Report.AppliedVersion);
        Assert.Equal(30, device.Engine.Config.LedBrightness);

        var restarted = Start();
        Assert.Equal(7, restarted.Report.AppliedVersion);
        Assert.Equal(30, restarted.Engine.Config.LedBrightness);
    }

    [Theory]
    [InlineData("{\"v\":1,\"ver\":8,\"led_brightness\":500}", "led_brightness")]
    [InlineData("{\"v\":1,\"ver\":8,\"frame_ms\":10}", "frame_ms")]
    [InlineData("{\"v\":1,\"ver\":8,\"led_brightness\":", "")]
    public void ARejectedConfigIsReportedAndTheOldOneKept(string payload, string named)
    {
        var device = Start();
        device.OnMessage(Topics.ConfigDesired, "{\"v\":1,\"ver\":7,\"led_brightness\":30}");
        string stored = Read(StoredConfig);

        device.OnMessage(Topics.ConfigDesired, payload);
        Assert.True(device.ReportPending);
        Assert.Equal(7, device.Report.AppliedVersion);
        Assert.NotNull(device.Report.Error);
        Assert.Contains(named, device.Report.Error);
        Assert.Equal(30, device.Engine.Config.LedBrightness);
        Assert.Equal(stored, Read(StoredConfig));
        Assert.Equal(7, Start().Report.AppliedVersion);
    }

    [Fact]
    public void AStoredConfigCutShortFallsBackToTheDefaults()
    {
        Write(StoredConfig, "{\"v\":1,\"ver\":7,\"led_bri");
        var device = Start();
        Assert.Equal(new DeskConfig().Version, device.Report.AppliedVersion);
        Assert.Equal(new DeskConfig().LedBrightness, device.Engine.Config.LedBrightness);
    }

    [Fact]
    public void ACommandIsAppliedOnceEvenWhenRedelivered()
    {
        var device = Start();
        device.OnMessage(Topics.Command, "{\"v\":1,\"id\":5,\"cmd\":\"call_start\"}");
        Assert.True(device.Engine.InCall);
        device.OnMessage(Topics.Command, "{\"v\":1,\"id\":6,\"cmd\":\"call_end\"}");
        device.OnMessage(Topics.Command, "{\"v\":1,\"id\":6,\"cmd\":\"call_end\"}");
        device.OnMessage(Topics.Command, "{\"v\":1,\"id\":6,\"cmd\":\"call_start\"}");
        Assert.False(device.Engine.InCall);
        device.OnMessage(Topics.Command, "not json");
        Assert.False(device.Engine.InCall);
    }

    [Fact]
    public void ARebootInTheMiddleOfACallKeepsItsAlertsAndNeverReusesItsNumber()
    {
        var queue = new FlashQueue();
        var device = Start(queue);
        device.OnMessage(Topics.Command, "{\"v\":1,\"id\":1,\"cmd\":\"call_start\"}");
        Assert.True(device.Engine.InCall);
        device.OnAlert(EventType.Interruption, 5000, 1, 0, false);
        device.OnAlert(EventType.Interruption, 9000, 1, 0, false);

        // The power fails; the unit comes back idle, with the alerts still queued under the first call's number.
        var queueAfter = new FlashQueue();
        var restarted = Start(queueAfter);
        Assert.False(restarted.Engine.InCall);
        Assert.Equal(2, queueAfter.Count);
        string first = queueAfter.Peek(out _);
        Assert.Contains("\"call\":1", first);

        restarted.OnMessage(Topics.Command, "{\"v\":1,\"id\":2,\"cmd\":\"call_start\"}");
        restarted.OnAlert(EventType.Interruption, 1000, 1, 0, false);
        queueAfter.RemoveOldest();
        queueAfter.RemoveOldest();
        Assert.Contains("\"call\":2", queueAfter.Peek(out _));
    }

    public void Dispose() => System.IO.Directory.Delete(_root, true);

    private static DeskDevice Start(FlashQueue? queue = null)
    {
        var device = new DeskDevice(new Led(), new Buzzer(), queue ?? new FlashQueue());
        device.Start(8000);
        return device;
    }

    private static void Write(string devicePath, string text)
    {
        string host = FlashDrive.HostPath(devicePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(host)!);
        System.IO.File.WriteAllText(host, text);
    }

    private static string Read(string devicePath) => System.IO.File.ReadAllText(FlashDrive.HostPath(devicePath));
}
