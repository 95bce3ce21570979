using Mono.Cecil;

namespace Kuulo.Firmware.Bench;

/// <summary>
/// Which stage of the device's work a type belongs to, by namespace and class, so the table follows the code as
/// it changes: a class not named here gets its own row under its own name.
/// </summary>
public static class Stages
{
    public static string Of(TypeDefinition type)
    {
        while (type.DeclaringType != null)
        {
            type = type.DeclaringType;
        }

        return (type.Namespace, type.Name) switch
        {
            ("Kuulo.Firmware.Audio", "I2sUnpack") => "unpack",
            ("Kuulo.Core.Audio", "BandAnalyser" or "SpeechFeatures" or "Decibels") => "features",
            ("Kuulo.Core.Audio", "NoiseFloor") => "floors",
            ("Kuulo.Core.Audio", "EchoGuard") => "echo guard",
            ("Kuulo.Core.Audio", "HoldDetector") => "hold",
            ("Kuulo.Core.Audio", "VoiceDetector" or "AgentVoiceModel" or "CustomerVoiceModel") => "voice",
            ("Kuulo.Core.Turns", _) => "turns",
            ("Kuulo.Core.Stats", _) => "stats",
            _ => type.Name,
        };
    }
}
