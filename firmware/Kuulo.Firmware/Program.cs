using System;
using System.Diagnostics;
using System.Threading;
using Kuulo.Core.Protocol;
using Kuulo.Firmware.Audio;
using Kuulo.Firmware.Device;
using Kuulo.Firmware.Indicators;
using Kuulo.Firmware.Input;
using Kuulo.Firmware.Net;
using Kuulo.Firmware.Storage;

namespace Kuulo.Firmware
{
    /// <summary>
    /// Composition: the audio thread runs the core frame by frame (it must never wait on the network); the network
    /// thread keeps Wi-Fi and MQTT up, drains the flash queue and reports status and configuration.
    /// </summary>
    public static class Program
    {
        public const string FirmwareVersion = "1.0.0";
        private static readonly DateTime Started = DateTime.UtcNow;

        public static void Main()
        {
            string error;
            DeviceSettings settings = DeviceSettings.Load(out error);
            var led = new Led();
            var buzzer = new Buzzer();
            var queue = new FlashQueue();
            var device = new DeskDevice(led, buzzer, queue);
            device.Start(I2sCapture.CoreRate);
            if (settings == null)
            {
                // Still a working desk light without the network; say why on the debug output.
                Debug.WriteLine(error);
            }
            else
            {
                new Thread(() => NetworkLoop(settings, device, queue)).Start();
            }

            var capture = new I2sCapture();
            var button = new Button();
            var watchdog = new Watchdog();
            var frame = new short[I2sCapture.CoreSamplesPerFrame * 2];
            while (true)
            {
                capture.ReadFrame(frame);
                device.ProcessFrame(frame, button);
                watchdog.Kick();
            }
        }

        private static void NetworkLoop(DeviceSettings settings, DeskDevice device, FlashQueue queue)
        {
            var mqtt = new MqttLink(settings);
            mqtt.MessageReceived += device.OnMessage;
            long nextStatusMs = 0;
            while (true)
            {
                long now = DateTime.UtcNow.Ticks / TimeSpan.TicksPerMillisecond;
                if (!WifiLink.Connect(settings) || !mqtt.EnsureConnected(now))
                {
                    Thread.Sleep(1000);
                    continue;
                }

                long seq;
                string message = queue.Peek(out seq);
                while (message != null && mqtt.IsConnected)
                {
                    int newline = message.IndexOf('\n');
                    if (!mqtt.PublishAndWait(message.Substring(0, newline), message.Substring(newline + 1), false))
                    {
                        break;
                    }

                    queue.RemoveOldest();
                    message = queue.Peek(out seq);
                }

                if (device.ReportPending && mqtt.PublishAndWait(Topics.ConfigReported, device.Report.ToJson(), true))
                {
                    device.ReportPending = false;
                }

                if (now >= nextStatusMs)
                {
                    var status = new StatusMessage();
                    status.Online = true;
                    status.Firmware = FirmwareVersion;
                    status.Rssi = WifiLink.Rssi(settings.WifiSsid);
                    status.FreeHeapBytes = (int)nanoFramework.Runtime.Native.GC.Run(false);
                    status.UptimeSeconds = (int)((DateTime.UtcNow - Started).Ticks / TimeSpan.TicksPerSecond);
                    status.ConfigVersion = device.Report.AppliedVersion;
                    status.Queued = queue.Count;
                    status.Dropped = queue.Dropped;
                    status.InCall = device.Engine.InCall;
                    if (mqtt.PublishAndWait(Topics.Status, status.ToJson(), true))
                    {
                        nextStatusMs = now + 60000;
                    }
                }

                Thread.Sleep(200);
            }
        }
    }
}
