using System.Text.Json;

namespace Kuulo.Desk.Evaluation;

/// <summary>A labelled event of shared/corpus/FORMAT.md: instants use <see cref="Start"/> = t, spans start..end.</summary>
public sealed record LabelledEvent(string Type, double Start, double End);

/// <summary>The ground truth of one conversation (<c>NAME.json</c> of shared/corpus/FORMAT.md).</summary>
public sealed class Labels
{
    /// <summary>From the label file's duration_s; 0 when the file does not say (the audio's length is used then).</summary>
    public required double DurationSeconds { get; init; }
    public required IReadOnlyList<(double Start, double End)> AgentSpeech { get; init; }
    public required IReadOnlyList<(double Start, double End)> CustomerSpeech { get; init; }
    public required IReadOnlyList<LabelledEvent> Events { get; init; }

    /// <summary>The free-form <c>conditions</c> object, values as text (numbers in invariant form); null when the file has none.</summary>
    public IReadOnlyDictionary<string, string>? Conditions { get; init; }

    public IEnumerable<LabelledEvent> Of(string type) => Events.Where(e => e.Type == type);

    /// <summary>Reads a label file; a malformed one throws <see cref="FormatException"/> naming the file and the problem.</summary>
    public static Labels Load(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            var speech = root.GetProperty("speech");
            var events = new List<LabelledEvent>();
            foreach (var e in root.GetProperty("events").EnumerateArray())
            {
                string type = e.GetProperty("type").GetString() ?? throw new FormatException("an event has no type");
                if (e.TryGetProperty("start", out var start))
                {
                    events.Add(new LabelledEvent(type, start.GetDouble(), e.GetProperty("end").GetDouble()));
                }
                else
                {
                    double t = e.GetProperty("t").GetDouble();
                    events.Add(new LabelledEvent(type, t, e.TryGetProperty("end", out var end) ? end.GetDouble() : t));
                }
            }

            return new Labels
            {
                DurationSeconds = root.TryGetProperty("duration_s", out var duration) ? duration.GetDouble() : 0,
                AgentSpeech = Segments(speech.GetProperty("agent")),
                CustomerSpeech = Segments(speech.GetProperty("customer")),
                Events = events,
                Conditions = root.TryGetProperty("conditions", out var conditions) && conditions.ValueKind == JsonValueKind.Object
                    ? conditions.EnumerateObject().ToDictionary(p => p.Name, p => Text(p.Value))
                    : null,
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new FormatException($"{path}: not a valid label file: {ex.Message}", ex);
        }
    }

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Number => value.GetDouble().ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => value.GetRawText(),
    };

    private static List<(double, double)> Segments(JsonElement array) =>
        array.EnumerateArray().Select(s => (s[0].GetDouble(), s[1].GetDouble())).ToList();
}
