namespace Kuulo.Corpus;

/// <summary>A labelled event as in shared/corpus/FORMAT.md; instants have <see cref="End"/> (interruption, backchannel) or not (monologue).</summary>
public sealed record LabelEvent(string Type, double Start, double? End, bool IsSpan);

/// <summary>
/// The customer's and agent's signals at 8 kHz before they were summed, kept (not written) so tests can check that
/// each condition did what its recorded value says: voice after the room, room noise as scaled, the line as it
/// left the codec, the agent's voice after the room and the office hum under it.
/// </summary>
public sealed record Stems(float[] CustomerVoice, float[] CustomerNoise, float[] CustomerLine, float[] AgentVoice, float[] AgentHum);

/// <summary>A generated conversation: two channels of audio and the ground truth that produced it.</summary>
public sealed class Conversation
{
    public required int SampleRate { get; init; }
    public required short[] Interleaved { get; init; }
    public required List<(double Start, double End)> AgentSpeech { get; init; }
    public required List<(double Start, double End)> CustomerSpeech { get; init; }
    public required List<LabelEvent> Events { get; init; }
    public required Dictionary<string, object> Conditions { get; init; }
    public required Stems Stems { get; init; }

    public double DurationSeconds => Interleaved.Length / 2.0 / SampleRate;
}
