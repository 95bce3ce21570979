using System;
using System.Threading;
using nanoFramework.Runtime.Native;

namespace Kuulo.Firmware.Device
{
    /// <summary>
    /// A software watchdog: if the audio loop stops ticking (a hung driver, a deadlock), the unit reboots rather than
    /// sit dark on the desk. nanoFramework exposes no managed handle on the ESP32 task watchdog, so this thread is it.
    /// </summary>
    public sealed class Watchdog
    {
        private const int TimeoutMs = 10000;
        private long _lastKickTicks = DateTime.UtcNow.Ticks;

        public Watchdog()
        {
            new Thread(Watch).Start();
        }

        public void Kick()
        {
            _lastKickTicks = DateTime.UtcNow.Ticks;
        }

        private void Watch()
        {
            while (true)
            {
                Thread.Sleep(1000);
                if ((DateTime.UtcNow.Ticks - _lastKickTicks) / TimeSpan.TicksPerMillisecond > TimeoutMs)
                {
                    Power.RebootDevice();
                }
            }
        }
    }
}
