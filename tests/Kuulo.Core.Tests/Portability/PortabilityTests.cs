using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Kuulo.Core.Tests.Portability;

/// <summary>
/// The core's source also compiles for .NET nanoFramework, whose mscorlib is a small subset of .NET's.
/// This reads the compiled core and rejects anything outside an allow-list of members checked against
/// nanoFramework's CoreLibrary sources, plus generics, which the device runtime does not support.
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

    private sealed record AllowList(HashSet<string> Types, HashSet<string> Members)
    {
        public static AllowList Load()
        {
            var path = Path.Combine(AppContext.BaseDirectory, "Portability", "nanoframework-mscorlib.txt");
            var types = new HashSet<string>(StringComparer.Ordinal);
            var members = new HashSet<string>(StringComparer.Ordinal);
            foreach (var raw in File.ReadAllLines(path))
            {
                var line = raw.Split('#')[0].Trim();
                if (line.Length == 0)
                {
                    continue;
                }

                if (line.StartsWith("type ", StringComparison.Ordinal))
                {
                    types.Add(line[5..].Trim());
                }
                else
                {
                    members.Add(line);
                    types.Add(line[..line.IndexOf("::", StringComparison.Ordinal)]);
                }
            }

            return new AllowList(types, members);
        }
    }
}
