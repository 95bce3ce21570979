using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Kuulo.Firmware.Tests.Api;

/// <summary>
/// Compiles a nanoFramework project the way its toolchain would, at C# 7.3, against the reference assemblies
/// built from the signature list, giving it only the assemblies its HintPaths name.
/// </summary>
public static class FirmwareCompilation
{
    public static CSharpCompilation Create(NfProject project, NanoApi api)
    {
        var available = api.BuildReferences();
        var references = new List<MetadataReference>();
        foreach (var name in project.ReferencedAssemblies)
        {
            if (!available.TryGetValue(name, out var reference))
            {
                throw new InvalidOperationException(
                    $"the .nfproj references {name}.dll, which {NanoApi.FileName} does not describe: list the members used from it");
            }

            references.Add(reference);
        }

        var parse = new CSharpParseOptions(LanguageVersion.CSharp7_3);
        var trees = project.CompiledFiles()
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), parse, path: Path.GetRelativePath(project.Directory, f)))
            .ToList();
        return CSharpCompilation.Create(Path.GetFileNameWithoutExtension(project.Path), trees, references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Disable));
    }

    /// <summary>Every error the compiler reports, then everything the nanoFramework toolchain would refuse.</summary>
    public static IReadOnlyList<string> Problems(CSharpCompilation compilation)
    {
        var problems = compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => d.ToString())
            .ToList();
        foreach (var tree in compilation.SyntaxTrees)
        {
            problems.AddRange(NanoSubset.Check(tree, compilation.GetSemanticModel(tree)));
        }

        return problems;
    }
}
