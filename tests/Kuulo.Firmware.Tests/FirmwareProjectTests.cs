using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Kuulo.Firmware.Tests;

public class FirmwareProjectTests
{
    private static readonly string Root = Api.Repo.Root;
    private static readonly string Firmware = Path.Combine(Root, "firmware", "Kuulo.Firmware");
    private static readonly XNamespace Ms = "http://schemas.microsoft.com/developer/msbuild/2003";

    private static XDocument Project() => XDocument.Load(Path.Combine(Firmware, "Kuulo.Firmware.nfproj"));

    [Fact]
    public void ProjectCompilesEveryCoreSourceFile()
    {
        var compile = Project().Descendants(Ms + "Compile").Select(c => ((string?)c.Attribute("Include"), (string?)c.Attribute("Exclude"))).ToList();
        var (include, exclude) = Assert.Single(compile, c => c.Item1!.StartsWith(@"..\Kuulo.Core\", StringComparison.Ordinal));
        Assert.Equal(@"..\Kuulo.Core\**\*.cs", include);
        Assert.Contains(@"..\Kuulo.Core\obj\**", exclude);
        Assert.Contains(@"..\Kuulo.Core\bin\**", exclude);

        // The glob takes every source of the core, so none may live where the exclusions would drop it.
        var core = Directory.GetFiles(Path.Combine(Root, "firmware", "Kuulo.Core"), "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Path.Combine(Root, "firmware", "Kuulo.Core"), f))
            .Where(f => !f.StartsWith("obj", StringComparison.Ordinal) && !f.StartsWith("bin", StringComparison.Ordinal))
            .ToList();
        Assert.Contains(Path.Combine("Turns", "TurnTracker.cs"), core);
        Assert.Contains("DeskEngine.cs", core);
    }

    [Fact]
    public void EveryPackageIsReferencedWithItsVersion()
    {
        var packages = XDocument.Load(Path.Combine(Firmware, "packages.config")).Descendants("package")
            .Select(p => ((string)p.Attribute("id")!, (string)p.Attribute("version")!)).ToList();
        Assert.NotEmpty(packages);
        var hints = Project().Descendants(Ms + "HintPath").Select(h => h.Value).ToList();
        foreach (var (id, version) in packages)
        {
            Assert.Contains(hints, h => h.StartsWith($@"..\packages\{id}.{version}\lib\", StringComparison.Ordinal));
        }

        // A package may ship more than one assembly (M2Mqtt: nanoFramework.M2Mqtt and nanoFramework.M2Mqtt.Core), but
        // every HintPath belongs to a pinned package.
        Assert.All(hints, h => Assert.Contains(packages, p => h.StartsWith($@"..\packages\{p.Item1}.{p.Item2}\lib\", StringComparison.Ordinal)));
    }

    [Fact]
    public void EveryNamespaceTheFirmwareImportsIsInTheSignatureList()
    {
        var listed = Api.NanoApi.Load(Api.Repo.ApiList).Assemblies.SelectMany(a => a.Types).Select(t => t.Namespace).ToHashSet();
        var usings = Directory.GetFiles(Firmware, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .SelectMany(File.ReadAllLines)
            .Select(l => Regex.Match(l, @"^using ([\w.]+);"))
            .Where(m => m.Success).Select(m => m.Groups[1].Value)
            .Where(ns => !ns.StartsWith("Kuulo", StringComparison.Ordinal))
            .Distinct().ToList();
        Assert.NotEmpty(usings);
        Assert.All(usings, ns => Assert.True(listed.Contains(ns), $"namespace {ns} is imported but nanoframework-api.txt lists nothing in it"));
    }

    [Fact]
    public void PinConstantsMatchTheHardwarePinout()
    {
        var constants = Regex.Matches(File.ReadAllText(Path.Combine(Firmware, "Pins.cs")), @"public const int (\w+) = (\d+);")
            .ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value));
        var table = Regex.Matches(File.ReadAllText(Path.Combine(Root, "hardware", "README.md")), @"^\| ([^|]+?) \| (\d+) \|", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups[1].Value.Trim(), m => int.Parse(m.Groups[2].Value));
        var expected = new Dictionary<string, string>
        {
            ["I2sMasterClock"] = "I2S MCLK", ["I2sBitClock"] = "I2S BCK", ["I2sWordSelect"] = "I2S WS", ["I2sDataIn"] = "I2S DATA IN",
            ["LedRed"] = "LED red", ["LedGreen"] = "LED green", ["LedBlue"] = "LED blue", ["Buzzer"] = "Buzzer", ["Button"] = "Button",
        };
        Assert.Equal(expected.Keys.Order(), constants.Keys.Order());
        foreach (var (constant, signal) in expected)
        {
            Assert.True(table.TryGetValue(signal, out int pin), $"hardware/README.md has no pinout row for '{signal}'");
            Assert.Equal(pin, constants[constant]);
        }

        Assert.Equal(constants.Count, constants.Values.Distinct().Count());
    }

    [Fact]
    public void WiringDiagramIsValidSvgAndNamesEveryPin()
    {
        var svg = XDocument.Load(Path.Combine(Root, "hardware", "wiring.svg"));
        string text = string.Concat(svg.Descendants().Select(e => e.Value));
        foreach (var gpio in new[] { "GPIO0 ", "GPIO26", "GPIO25", "GPIO35", "GPIO21", "GPIO22", "GPIO23", "GPIO19", "GPIO18" })
        {
            Assert.Contains(gpio, text);
        }
    }
}
