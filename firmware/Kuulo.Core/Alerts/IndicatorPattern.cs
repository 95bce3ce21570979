namespace Kuulo.Core.Alerts
{
    /// <summary>
    /// What the desk LED shows. The firmware maps these to colours and blink timings;
    /// the host unit draws them in the terminal.
    /// </summary>
    public static class IndicatorPattern
    {
        /// <summary>Off: nothing to say.</summary>
        public const int Off = 0;
        /// <summary>Dim green: in a call, all well.</summary>
        public const int InCall = 1;
        /// <summary>Amber, steady: the agent talked over the customer.</summary>
        public const int Interruption = 2;
        /// <summary>Blue, slow blink: dead air, first stage.</summary>
        public const int DeadAir = 3;
        /// <summary>Blue, fast blink: dead air, second stage.</summary>
        public const int DeadAirUrgent = 4;
        /// <summary>Amber, slow blink: the agent has talked for a long time without a break.</summary>
        public const int Monologue = 5;
        /// <summary>Dim white: on hold or muted; detection paused.</summary>
        public const int Paused = 6;

        private static readonly string[] Names = new string[]
        {
            "off", "in_call", "interruption", "dead_air", "dead_air_urgent", "monologue", "paused",
        };

        public static string Name(int pattern)
        {
            return pattern >= 0 && pattern < Names.Length ? Names[pattern] : "off";
        }
    }
}
