using Kuulo.Core.Protocol;

namespace Kuulo.Companion.Api;

/// <summary>
/// A desk's level report as the device page shows it, with plain findings an installer can act on. The limits are
/// rules of thumb for a headset tap, not detection thresholds: those live in DeskConfig.
/// </summary>
public sealed record CalibrationCheck(int MeasuredMs, int AgentFloorDb, int? AgentSpeechDb, int AgentSpeechMs, int CustomerFloorDb,
    int? CustomerSpeechDb, int CustomerSpeechMs, int EchoLeakDb, IReadOnlyList<string> Findings)
{
    // A speech level this close to its floor cannot be told from noise.
    private const int MinSpeechAboveFloorDb = 10;
    // A customer voice coming back on the agent mic louder than this points at a crossed or shorted tap.
    private const int MaxEchoLeakDb = -10;

    public static CalibrationCheck From(CalibrationReport r)
    {
        int? agent = r.AgentSpeechDb == CalibrationReport.NoLevel ? null : r.AgentSpeechDb;
        int? customer = r.CustomerSpeechDb == CalibrationReport.NoLevel ? null : r.CustomerSpeechDb;
        var findings = new List<string>();
        Channel(findings, "agent (left)", agent, r.AgentFloorDb, "ask the agent to speak during the check");
        Channel(findings, "customer (right)", customer, r.CustomerFloorDb, "play a call or a test tone to the headset during the check");
        if (r.EchoLeakDb > MaxEchoLeakDb)
        {
            findings.Add($"the customer's voice comes back on the agent channel at {r.EchoLeakDb} dB: check the tap is not crossed or shorted");
        }

        if (findings.Count == 0)
        {
            findings.Add("both channels carry speech well above their noise floors, with little echo: the tap is wired right");
        }

        return new(r.MeasuredMs, r.AgentFloorDb, agent, r.AgentSpeechMs, r.CustomerFloorDb, customer, r.CustomerSpeechMs, r.EchoLeakDb, findings);
    }

    private static void Channel(List<string> findings, string name, int? speech, int floor, string hint)
    {
        if (speech == null)
        {
            findings.Add($"no speech heard on the {name} channel: {hint}, or check that channel's wiring");
        }
        else if (speech - floor < MinSpeechAboveFloorDb)
        {
            findings.Add($"speech on the {name} channel is only {speech - floor} dB above its noise floor: check the level and the wiring");
        }
    }
}
