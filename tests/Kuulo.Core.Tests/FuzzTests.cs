using Kuulo.Core.Protocol;

namespace Kuulo.Core.Tests;

/// <summary>Whatever arrives on a topic, the parsers answer with a value or a reason; they never throw.</summary>
public class FuzzTests
{
    private static readonly string[] Seeds =
    {
        new CallSummary { Seq = 1, CallNumber = 1, DurationMs = 1000, ResponseGapMedianMs = -1, TalkRatioPerMille = -1 }.ToJson(),
        new AlertMessage { Seq = 2, CallNumber = 1, Type = Turns.EventType.Interruption, Stage = 1 }.ToJson(),
        new StatusMessage { Online = true, Firmware = "1.0" }.ToJson(),
        ConfigMessage.ToJson(new Config.DeskConfig { Version = 3 }),
        new CommandMessage { Id = 1, Command = CommandMessage.Hold }.ToJson(),
    };

    [Fact]
    public void MutatedPayloadsAreRejectedOrParsedNeverThrown()
    {
        var random = new Random(20261124);
        const string Alphabet = "{}[]\",:\\0123456789-.eEtrufalsn vxyz\u00e4\u0001\n";
        for (int round = 0; round < 20_000; round++)
        {
            var text = Seeds[round % Seeds.Length].ToCharArray().ToList();
            int edits = 1 + random.Next(6);
            for (int e = 0; e < edits && text.Count > 0; e++)
            {
                int at = random.Next(text.Count);
                switch (random.Next(3))
                {
                    case 0: text.RemoveAt(at); break;
                    case 1: text.Insert(at, Alphabet[random.Next(Alphabet.Length)]); break;
                    default: text[at] = Alphabet[random.Next(Alphabet.Length)]; break;
                }
            }

            string json = new(text.ToArray());
            AssertAnswers(CallSummary.Parse(json, out var e1), e1, json);
            AssertAnswers(AlertMessage.Parse(json, out var e2), e2, json);
            AssertAnswers(StatusMessage.Parse(json, out var e3), e3, json);
            AssertAnswers(ConfigMessage.Parse(json, out var e4), e4, json);
            AssertAnswers(CommandMessage.Parse(json, out var e5), e5, json);
            AssertAnswers(ConfigReport.Parse(json, out var e6), e6, json);
        }
    }

    [Fact]
    public void RandomBytesAsTextAreRejectedWithAReason()
    {
        var random = new Random(7);
        for (int round = 0; round < 5_000; round++)
        {
            var chars = new char[random.Next(0, 64)];
            for (int i = 0; i < chars.Length; i++)
            {
                chars[i] = (char)random.Next(0, 256);
            }

            string text = new(chars);
            Assert.Null(CallSummary.Parse(text, out var error));
            Assert.False(string.IsNullOrEmpty(error), text);
        }
    }

    private static void AssertAnswers(object? value, string? error, string json) =>
        Assert.True((value == null) != (error == null), $"expected a value or a reason for: {json}");
}
