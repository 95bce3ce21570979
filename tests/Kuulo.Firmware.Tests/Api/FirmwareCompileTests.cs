using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Kuulo.Firmware.Tests.Api;

/// <summary>
/// The firmware compiles: Kuulo.Firmware plus the core, exactly as the .nfproj lists them, at C# 7.3, against
/// the nanoFramework API surface the signature list vouches for, inside the subset the device runs.
/// </summary>
public class FirmwareCompileTests
{
    private const string SourceFile = @"^[\w./]+\.cs( \(.+\))?$";
    private static readonly Lazy<NanoApi> Api = new(() => NanoApi.Load(Repo.ApiList));

    [Fact]
    public void FirmwareAndCoreCompileAgainstTheListedApi()
    {
        var project = NfProject.Load(Repo.Project);
        var compilation = FirmwareCompilation.Create(project, Api.Value);
        Assert.Contains(compilation.SyntaxTrees, t => t.FilePath.EndsWith("DeskEngine.cs", StringComparison.Ordinal));
        Assert.Contains(compilation.SyntaxTrees, t => t.FilePath.EndsWith("Program.cs", StringComparison.Ordinal));
        var problems = FirmwareCompilation.Problems(compilation);
        Assert.True(problems.Count == 0, "The firmware does not build for nanoFramework:\n  " + string.Join("\n  ", problems));
    }

    [Fact]
    public void EveryReferenceIsAListedAssemblyOfItsPinnedPackage()
    {
        var project = NfProject.Load(Repo.Project);
        var pinned = XDocument.Load(Path.Combine(Repo.Firmware, "packages.config")).Descendants("package")
            .ToDictionary(p => (string)p.Attribute("id")!, p => (string)p.Attribute("version")!);
        var listed = Api.Value.Assemblies.ToDictionary(a => a.Name);
        foreach (var hint in project.HintPaths)
        {
            var m = Regex.Match(hint, @"^\.\.\\packages\\(.+?)\.(\d+\.\d+\.\d+)\\lib\\([^\\]+)\.dll$");
            Assert.True(m.Success, $"HintPath {hint} is not ..\\packages\\ID.VERSION\\lib\\ASSEMBLY.dll");
            string id = m.Groups[1].Value, version = m.Groups[2].Value, name = m.Groups[3].Value;
            Assert.True(pinned.TryGetValue(id, out var pin) && pin == version, $"{hint}: packages.config pins {id} at {pin ?? "nothing"}");
            Assert.True(listed.TryGetValue(name, out var assembly), $"{hint}: {NanoApi.FileName} has no 'assembly {name}' section");
            Assert.Equal((id, version), (assembly!.Package, assembly.Version));
        }

        // Every listed assembly is one the firmware references, and every pinned package is referenced.
        Assert.Equal(listed.Keys.Order(), project.ReferencedAssemblies.Order());
        Assert.Equal(pinned.Keys.Order(), project.HintPaths.Select(h => Regex.Match(h, @"packages\\(.+?)\.\d+\.\d+\.\d+\\").Groups[1].Value).Distinct().Order());
    }

    [Fact]
    public void EveryListedLineSaysWhereItWasChecked()
    {
        foreach (var assembly in Api.Value.Assemblies)
        {
            Assert.Matches(@"^nanoframework/[\w.]+$", assembly.Repository);
            Assert.Matches(@"^v\d+\.\d+\.\d+", assembly.Tag);
            foreach (var type in assembly.Types)
            {
                Assert.Matches(SourceFile, type.SourceFile);
                Assert.All(type.Members, m => Assert.Matches(SourceFile, m.SourceFile));
            }
        }
    }
}
