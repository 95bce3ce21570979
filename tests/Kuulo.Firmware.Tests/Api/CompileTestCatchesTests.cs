using System.Text.RegularExpressions;

namespace Kuulo.Firmware.Tests.Api;

/// <summary>
/// The compile test can fail: a copy of the firmware with a reference taken out of its .nfproj, a member taken
/// out of the list, or code the device cannot run, each gives the compiler's (or the subset check's) message.
/// </summary>
public sealed class CompileTestCatchesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("kuulo-fw-").FullName;
    private readonly string _firmware;

    public CompileTestCatchesTests()
    {
        Copy(Path.Combine(Repo.Root, "firmware", "Kuulo.Core"), Path.Combine(_root, "firmware", "Kuulo.Core"));
        Copy(Repo.Firmware, _firmware = Path.Combine(_root, "firmware", "Kuulo.Firmware"));
    }

    [Fact]
    public void TheUnmodifiedCopyCompiles()
    {
        Assert.Empty(Problems(NanoApi.Load(Repo.ApiList)));
    }

    [Fact]
    public void AReferenceMissingFromTheProjectFails()
    {
        string nfproj = Path.Combine(_firmware, "Kuulo.Firmware.nfproj");
        string text = File.ReadAllText(nfproj);
        var without = Regex.Replace(text, @"\s*<Reference Include=""nanoFramework\.M2Mqtt\.Core"">.*?</Reference>", "", RegexOptions.Singleline);
        Assert.NotEqual(text, without);
        File.WriteAllText(nfproj, without);

        var problems = Problems(NanoApi.Load(Repo.ApiList));
        Assert.Contains(problems, p => p.Contains("MqttMsgPublishedEventArgs", StringComparison.Ordinal) && p.Contains("error CS", StringComparison.Ordinal));
    }

    [Fact]
    public void AMemberMissingFromTheListFails()
    {
        var lines = File.ReadAllLines(Repo.ApiList);
        var without = lines.Where(l => !l.Contains("public virtual byte[] GetBytes(string s)", StringComparison.Ordinal)).ToList();
        Assert.Equal(lines.Length - 1, without.Count);

        var problems = Problems(NanoApi.Parse(without, NanoApi.FileName));
        Assert.Contains(problems, p => p.Contains("error CS1061", StringComparison.Ordinal) && p.Contains("GetBytes", StringComparison.Ordinal));
    }

    [Fact]
    public void AWrongOverloadFails()
    {
        // The firmware calls Publish with six arguments; a list that only had a shorter overload must not pass.
        var lines = File.ReadAllLines(Repo.ApiList).Select(l => l.Contains("public ushort Publish(", StringComparison.Ordinal)
            ? Regex.Replace(l, @"Publish\(.*?\) \|", "Publish(string topic, byte[] message) |")
            : l).ToList();
        var problems = Problems(NanoApi.Parse(lines, NanoApi.FileName));
        Assert.Contains(problems, p => p.Contains("error CS1501", StringComparison.Ordinal) && p.Contains("Publish", StringComparison.Ordinal));
    }

    [Fact]
    public void CodeTheDeviceCannotRunIsRefused()
    {
        File.WriteAllText(Path.Combine(_firmware, "Forbidden.cs"), """
            namespace Kuulo.Firmware
            {
                public enum Colour { Red }
                public class Box<T> { public T Value; }
                public static class Forbidden
                {
                    public static T Echo<T>(T value) { return value; }
                    public static async void Later() { }
                    public static System.Collections.IEnumerable Count() { yield return 1; }
                    public static int[,] Grid() { return null; }
                    public static decimal Money() { return 0; }
                    public static string Text(int n, Colour c) { return $"n={n}" + c.ToString(); }
                    public static string Joined(Colour c) { return "colour " + c; }
                    public static int? Maybe() { return null; }
                    public static object Pair() { return (1, 2); }
                    public static object Anonymous() { return new { A = 1 }; }
                }
            }
            """);
        var problems = Problems(NanoApi.Load(Repo.ApiList));
        foreach (var what in new[] { "a generic type or method", "async", "yield", "a multidimensional array", "decimal", "string interpolation",
                                     "Enum.ToString()", "an enum concatenated into a string", "a nullable value type", "a tuple", "an anonymous type" })
        {
            Assert.Contains(problems, p => p.Contains("Forbidden.cs", StringComparison.Ordinal) && p.Contains("cannot take " + what, StringComparison.Ordinal));
        }
    }

    public void Dispose() => Directory.Delete(_root, true);

    private IReadOnlyList<string> Problems(NanoApi api)
    {
        var compilation = FirmwareCompilation.Create(NfProject.Load(Path.Combine(_firmware, "Kuulo.Firmware.nfproj")), api);
        return FirmwareCompilation.Problems(compilation);
    }

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.StartsWith("bin", StringComparison.Ordinal) || relative.StartsWith("obj", StringComparison.Ordinal))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, relative))!);
            File.Copy(file, Path.Combine(to, relative));
        }
    }
}
