using System.Collections.Immutable;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Kuulo.Firmware.Tests.Api;

/// <summary>
/// The nanoFramework API surface the firmware and the core may use, read from
/// <c>firmware/Kuulo.Firmware/nanoframework-api.txt</c> (the one place these facts live), and turned into
/// reference assemblies: one per listed assembly, every body <c>throw null</c>, mscorlib included, so the
/// firmware can be compiled on a machine where no nanoFramework package can be restored.
/// </summary>
public sealed class NanoApi
{
    public const string FileName = "nanoframework-api.txt";

    private NanoApi(IReadOnlyList<ApiAssembly> assemblies) => Assemblies = assemblies;

    public IReadOnlyList<ApiAssembly> Assemblies { get; }

    public static NanoApi Load(string path) => Parse(File.ReadAllLines(path), Path.GetFileName(path));

    /// <summary>Parses the list; a malformed line throws with its number, so a typo cannot silently drop an API.</summary>
    public static NanoApi Parse(IEnumerable<string> lines, string name)
    {
        var assemblies = new List<ApiAssembly>();
        ApiAssembly? current = null;
        int number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var fields = line.Split('|').Select(f => f.Trim()).ToArray();
            string where = $"{name}:{number}";
            var head = Regex.Match(fields[0], @"^(assembly|type|member)\s+(\S+)$");
            if (!head.Success || fields.Length != 3 || fields.Any(f => f.Length == 0))
            {
                throw new FormatException($"{where}: expected 'assembly|type|member NAME | ... | ...', got: {line}");
            }

            string kind = head.Groups[1].Value, subject = head.Groups[2].Value;
            if (kind == "assembly")
            {
                // assembly NAME | PACKAGE VERSION | OWNER/REPO@COMMIT (TAG)
                var package = Regex.Match(fields[1], @"^(\S+) (\d+\.\d+\.\d+)$");
                var source = Regex.Match(fields[2], @"^(\S+/\S+)@([0-9a-f]{40})(?: \((.+)\))?$");
                if (!package.Success || !source.Success)
                {
                    throw new FormatException($"{where}: an assembly line is 'assembly NAME | PACKAGE VERSION | OWNER/REPO@COMMIT40 (TAG)'");
                }

                current = new ApiAssembly(subject, package.Groups[1].Value, package.Groups[2].Value,
                    source.Groups[1].Value, source.Groups[2].Value, source.Groups[3].Value);
                assemblies.Add(current);
                continue;
            }

            if (current == null)
            {
                throw new FormatException($"{where}: a {kind} line before any assembly line");
            }

            if (subject.IndexOf('.') <= 0)
            {
                throw new FormatException($"{where}: '{subject}' is not a namespace-qualified type name");
            }

            if (kind == "type")
            {
                int plus = subject.LastIndexOf('+');
                if (plus > 0 && !current.Types.Any(t => t.FullName == subject[..plus]))
                {
                    throw new FormatException($"{where}: nested type {subject} before its enclosing type");
                }

                if (current.Types.Any(t => t.FullName == subject))
                {
                    throw new FormatException($"{where}: {subject} is declared twice");
                }

                current.Types.Add(new ApiType(subject, fields[1], fields[2], number));
            }
            else
            {
                var type = current.Types.FirstOrDefault(t => t.FullName == subject)
                    ?? throw new FormatException($"{where}: member of {subject}, which no earlier type line of {current.Name} declares");
                type.Members.Add(new ApiMember(fields[1], fields[2], number));
            }
        }

        return new NanoApi(assemblies);
    }

    /// <summary>The C# source of one assembly's stub: the declarations as listed, every body <c>throw null</c>.</summary>
    public static string StubSource(ApiAssembly assembly)
    {
        var text = new StringBuilder();
        text.AppendLine("#pragma warning disable");
        foreach (var group in assembly.Types.Where(t => !t.IsNested).GroupBy(t => t.Namespace))
        {
            text.Append("namespace ").AppendLine(group.Key).AppendLine("{");
            foreach (var type in group)
            {
                AppendType(text, assembly, type);
            }

            text.AppendLine("}");
        }

        return text.ToString();
    }

    private static void AppendType(StringBuilder text, ApiAssembly assembly, ApiType type)
    {
        text.Append("#line ").Append(type.Line).Append(" \"").Append(FileName).AppendLine("\"");
        if (type.IsDelegate)
        {
            text.Append(type.Declaration).AppendLine(";");
            return;
        }

        text.AppendLine(type.Declaration).AppendLine("{");
        bool hasConstructor = false;
        foreach (var member in type.Members)
        {
            text.Append("#line ").Append(member.Line).Append(" \"").Append(FileName).AppendLine("\"");
            text.AppendLine(WithBody(type, member.Declaration));
            hasConstructor |= Regex.IsMatch(member.Declaration, $@"^(public|protected|internal)\s+{Regex.Escape(type.Name)}\s*\(");
        }

        foreach (var nested in assembly.Types.Where(t => t.FullName.StartsWith(type.FullName + "+", StringComparison.Ordinal)))
        {
            AppendType(text, assembly, nested);
        }

        if (type.IsClass && !type.IsStatic && !hasConstructor)
        {
            // Without a listed constructor C# would add a public one the device's library may not have.
            text.Append("internal ").Append(type.Name).AppendLine("() { }");
        }

        text.AppendLine("}");
    }

    /// <summary>Compiles every listed assembly in list order (each may reference those before it).</summary>
    public ImmutableDictionary<string, MetadataReference> BuildReferences() =>
        BuildImages().ToImmutableDictionary(i => i.Key, i => (MetadataReference)MetadataReference.CreateFromImage(i.Value, filePath: i.Key + ".dll"));

    /// <summary>The reference assemblies' images, by assembly name.</summary>
    public ImmutableDictionary<string, byte[]> BuildImages()
    {
        var images = ImmutableDictionary.CreateBuilder<string, byte[]>();
        var built = new List<MetadataReference>();
        foreach (var assembly in Assemblies)
        {
            // The libraries themselves are built with a newer C# (nested types in interfaces); only user code is held to 7.3.
            var tree = CSharpSyntaxTree.ParseText(StubSource(assembly), new CSharpParseOptions(LanguageVersion.Latest), path: FileName);
            var compilation = CSharpCompilation.Create(assembly.Name, new[] { tree }, built,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable));
            using var image = new MemoryStream();
            var result = compilation.Emit(image);
            var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (errors.Count > 0)
            {
                throw new InvalidOperationException($"the signature list does not compile as assembly {assembly.Name}:\n  "
                    + string.Join("\n  ", errors.Select(e => e.ToString())));
            }

            images[assembly.Name] = image.ToArray();
            built.Add(MetadataReference.CreateFromImage(images[assembly.Name], filePath: assembly.Name + ".dll"));
        }

        return images.ToImmutable();
    }

    private static string WithBody(ApiType type, string declaration)
    {
        if (type.IsEnum)
        {
            return declaration + ",";
        }

        if (type.IsInterface || Regex.IsMatch(declaration, @"(^|\s)abstract\s"))
        {
            return declaration.EndsWith(';') || declaration.EndsWith('}') ? declaration : declaration + ";";
        }

        int equals = declaration.IndexOf('=');
        bool initialized = equals >= 0 && !declaration.Contains(" operator ")
            && (declaration.IndexOf('(') < 0 || equals < declaration.IndexOf('('));
        if (declaration.EndsWith(')') && !initialized)
        {
            return declaration + " { throw null; }";
        }

        if (declaration.EndsWith('}'))
        {
            // A property or indexer: { get; set; } -> bodies.
            return Regex.Replace(declaration, @"\b(get|set);", "$1 { throw null; }");
        }

        return declaration.EndsWith(';') ? declaration : declaration + ";";
    }
}

/// <summary>One listed assembly: its package and version, and the repository and commit its lines were checked at.</summary>
public sealed record ApiAssembly(string Name, string Package, string Version, string Repository, string Commit, string Tag)
{
    public List<ApiType> Types { get; } = new();
}

/// <summary>A listed type: its declaration as C# (modifiers, kind, base list) and the file it was checked in.</summary>
public sealed record ApiType(string FullName, string Declaration, string SourceFile, int Line)
{
    public List<ApiMember> Members { get; } = new();
    public bool IsNested => FullName.Contains('+');
    public string Namespace => FullName[..FullName.LastIndexOf('.')];
    public string Name => FullName[(FullName.LastIndexOfAny(['.', '+']) + 1)..];
    public bool IsEnum => Regex.IsMatch(Declaration, @"\benum\s");
    public bool IsInterface => Regex.IsMatch(Declaration, @"\binterface\s");
    public bool IsDelegate => Regex.IsMatch(Declaration, @"\bdelegate\s");
    public bool IsClass => Regex.IsMatch(Declaration, @"\bclass\s");
    public bool IsStatic => Regex.IsMatch(Declaration, @"\bstatic\s");
}

/// <summary>A listed member: its declaration as C# without a body, and the file it was checked in.</summary>
public sealed record ApiMember(string Declaration, string SourceFile, int Line);
