namespace Kuulo.Core
{
    /// <summary>Explicit inputs from the desk button or a companion command.</summary>
    public static class DeskInput
    {
        public const int CallStart = 1;
        public const int CallEnd = 2;
        public const int Hold = 3;
        public const int Resume = 4;
        public const int Mute = 5;
        public const int Unmute = 6;
        public const int QuietOn = 7;
        public const int QuietOff = 8;

        /// <summary>The input for a <see cref="Protocol.CommandMessage"/> command name, or 0.</summary>
        public static int FromCommand(string command)
        {
            if (command == Protocol.CommandMessage.CallStart) { return CallStart; }
            if (command == Protocol.CommandMessage.CallEnd) { return CallEnd; }
            if (command == Protocol.CommandMessage.Hold) { return Hold; }
            if (command == Protocol.CommandMessage.Resume) { return Resume; }
            if (command == Protocol.CommandMessage.Mute) { return Mute; }
            if (command == Protocol.CommandMessage.Unmute) { return Unmute; }
            if (command == Protocol.CommandMessage.QuietOn) { return QuietOn; }
            if (command == Protocol.CommandMessage.QuietOff) { return QuietOff; }
            return 0;
        }
    }
}
