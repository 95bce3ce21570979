using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Kuulo.Firmware.Tests.Api;

namespace Kuulo.Core.Tests.Portability;

/// <summary>
/// The core's source also compiles for .NET nanoFramework, whose mscorlib is a small subset of .NET's.
/// This reads the host-compiled core and rejects anything outside the mscorlib section of the firmware's
/// signature list (each line checked against nanoFramework's CoreLibrary sources), plus generics, which the
/// device runtime does not support. tests/Kuulo.Firmware.Tests compiles the same sources against the whole list.
/// </summary>
public class PortabilityTests
{
    private static readonly string CorePath = typeof(DeskEngine).Assembly.Location;

    [Fact]
    public void CoreReferencesOnlyAllowedMscorlibMembers()
    {
        var allowed = AllowList.Load();
        var problems = new List<string>();
        using var core = CoreMetadata.Open(CorePath);

        foreach (var type in core.ReferencedTypes())
        {
            if (!allowed.Types.Contains(type))
            {
                problems.Add("type " + type);
            }
        }

        foreach (var member in core.ReferencedMembers())
        {
            if (!allowed.Members.Contains(member))
            {
                problems.Add("member " + member);
            }
        }

        Assert.True(problems.Count == 0,
            "The portable core uses what nanoFramework's mscorlib lacks (or the allow-list does not vouch for yet):\n  "
            + string.Join("\n  ", problems));
    }

    [Fact]
    public void CoreHasNoGenerics()
    {
        using var core = CoreMetadata.Open(CorePath);
        Assert.Empty(core.GenericUses());
    }

    [Fact]
    public void CoreReferencesOnlyTheRuntimeAssembly()
    {
        using var core = CoreMetadata.Open(CorePath);
        Assert.Equal(new[] { "System.Runtime" }, core.AssemblyReferences());
    }

    [Fact]
    public void CheckerCatchesWhatTheRuleForbids()
    {
        // The test assembly itself uses generics, LINQ and System.Collections.Generic: the checker must see them.
        var allowed = AllowList.Load();
        using var tests = CoreMetadata.Open(typeof(PortabilityTests).Assembly.Location);
        Assert.Contains(tests.ReferencedTypes(), t => !allowed.Types.Contains(t) && t.StartsWith("System.Collections.Generic."));
        Assert.NotEmpty(tests.GenericUses());
    }

    /// <summary>
    /// What nanoFramework's mscorlib offers, from the one signature list (firmware/Kuulo.Firmware/nanoframework-api.txt):
    /// its mscorlib section compiled to a reference assembly and read back, so the names match the compiled core's.
    /// </summary>
    private sealed record AllowList(HashSet<string> Types, HashSet<string> Members)
    {
        public static AllowList Load()
        {
            var api = NanoApi.Load(Path.Combine(Repo.Firmware, NanoApi.FileName));
            using var mscorlib = CoreMetadata.Open(api.BuildImages()["mscorlib"]);
            var (types, members) = mscorlib.Definitions();
            return new AllowList(types, members);
        }
    }
}
