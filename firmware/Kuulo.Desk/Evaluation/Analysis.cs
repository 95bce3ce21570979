using System.Text.Json;
using Kuulo.Core.Protocol;
using Kuulo.Core.Turns;

namespace Kuulo.Desk.Evaluation;

/// <summary>One detected event; <see cref="Seconds"/> is when the unit decided it, in file time.</summary>
public sealed record DetectedEvent(string Type, double Seconds, int Stage);

/// <summary>What a detector made of one conversation: its events, per-frame speech decisions and call summaries.</summary>
public sealed class Analysis(int frameMs)
{
    public int FrameMs { get; } = frameMs;
    public List<DetectedEvent> Events { get; } = new();
    public List<bool> AgentFrames { get; } = new();
    public List<bool> CustomerFrames { get; } = new();

    /// <summary>Per frame, whether the detector had the call on hold (customer speech detection suspended); empty if it has no hold.</summary>
    public List<bool> HoldFrames { get; } = new();
    public List<CallSummary> Calls { get; } = new();

    /// <summary>The events the label format knows (calls and holds are internal).</summary>
    public IEnumerable<DetectedEvent> LabelledEvents => Events.Where(e =>
        e.Type is "interruption" or "dead_air" or "backchannel" or "customer_overlap" or "monologue");

    public void Add(int type, int timeMs, int stage) => Events.Add(new DetectedEvent(EventType.Name(type), timeMs / 1000.0, stage));

    /// <summary>The <c>NAME.events.json</c> document of shared/corpus/FORMAT.md.</summary>
    public void WriteEventsJson(Stream output)
    {
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteStartArray("events");
        foreach (var e in LabelledEvents)
        {
            w.WriteStartObject();
            w.WriteString("type", e.Type);
            w.WriteNumber("t", Math.Round(e.Seconds, 3));
            if (e.Type == "dead_air")
            {
                w.WriteNumber("stage", e.Stage);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartObject("frames");
        w.WriteNumber("frame_ms", FrameMs);
        WriteFrames(w, "agent", AgentFrames);
        WriteFrames(w, "customer", CustomerFrames);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteFrames(Utf8JsonWriter w, string name, List<bool> frames)
    {
        w.WriteStartArray(name);
        foreach (var f in frames)
        {
            w.WriteNumberValue(f ? 1 : 0);
        }

        w.WriteEndArray();
    }
}
