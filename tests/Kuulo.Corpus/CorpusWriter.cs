using System.Buffers.Binary;
using System.Text.Json;

namespace Kuulo.Corpus;

/// <summary>Writes a conversation as NAME.wav + NAME.json exactly in the format of shared/corpus/FORMAT.md.</summary>
public static class CorpusWriter
{
    public static void Write(Conversation c, string directory, string name)
    {
        Directory.CreateDirectory(directory);
        WriteWav(Path.Combine(directory, name + ".wav"), c.Interleaved, c.SampleRate);
        using var stream = File.Create(Path.Combine(directory, name + ".json"));
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteNumber("sample_rate", c.SampleRate);
        w.WriteNumber("duration_s", Round(c.DurationSeconds));
        w.WriteStartObject("speech");
        WriteSegments(w, "agent", c.AgentSpeech);
        WriteSegments(w, "customer", c.CustomerSpeech);
        w.WriteEndObject();
        w.WriteStartArray("events");
        foreach (var e in c.Events)
        {
            w.WriteStartObject();
            w.WriteString("type", e.Type);
            w.WriteNumber(e.IsSpan ? "start" : "t", Round(e.Start));
            if (e.End is double end)
            {
                w.WriteNumber("end", Round(end));
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartObject("conditions");
        foreach (var (key, value) in c.Conditions)
        {
            switch (value)
            {
                case string s: w.WriteString(key, s); break;
                case int i: w.WriteNumber(key, i); break;
                case double d: w.WriteNumber(key, d); break;
            }
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void WriteWav(string path, short[] interleaved, int rate)
    {
        var bytes = new byte[44 + interleaved.Length * 2];
        var span = bytes.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], 36 + interleaved.Length * 2);
        "WAVEfmt "u8.CopyTo(span[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(span[20..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(span[22..], 2);
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], rate);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], rate * 4);
        BinaryPrimitives.WriteInt16LittleEndian(span[32..], 4);
        BinaryPrimitives.WriteInt16LittleEndian(span[34..], 16);
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], interleaved.Length * 2);
        for (int i = 0; i < interleaved.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(span[(44 + 2 * i)..], interleaved[i]);
        }

        File.WriteAllBytes(path, bytes);
    }

    private static void WriteSegments(Utf8JsonWriter w, string name, List<(double Start, double End)> segments)
    {
        w.WriteStartArray(name);
        foreach (var (start, end) in segments)
        {
            w.WriteStartArray();
            w.WriteNumberValue(Round(start));
            w.WriteNumberValue(Round(end));
            w.WriteEndArray();
        }

        w.WriteEndArray();
    }

    private static double Round(double seconds) => Math.Round(seconds, 3);
}
