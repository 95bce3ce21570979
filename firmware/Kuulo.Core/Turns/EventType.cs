namespace Kuulo.Core.Turns
{
    /// <summary>What the turn logic can report. The names are the wire and label names.</summary>
    public static class EventType
    {
        public const int None = 0;
        public const int Interruption = 1;
        public const int Backchannel = 2;
        public const int CustomerOverlap = 3;
        public const int DeadAir = 4;
        public const int Monologue = 5;
        public const int CallStart = 6;
        public const int CallEnd = 7;
        public const int HoldStart = 8;
        public const int HoldEnd = 9;

        private static readonly string[] Names = new string[]
        {
            "none", "interruption", "backchannel", "customer_overlap", "dead_air", "monologue",
            "call_start", "call_end", "hold_start", "hold_end",
        };

        public static string Name(int type)
        {
            return type >= 0 && type < Names.Length ? Names[type] : "none";
        }

        /// <summary>The event type for a wire name, or <see cref="None"/>.</summary>
        public static int Parse(string name)
        {
            for (int i = 1; i < Names.Length; i++)
            {
                if (Names[i] == name)
                {
                    return i;
                }
            }

            return None;
        }

        /// <summary>Events that light or buzz (subject to the alert policy); the rest are only counted.</summary>
        public static bool IsAlert(int type)
        {
            return type == Interruption || type == DeadAir || type == Monologue;
        }
    }
}
