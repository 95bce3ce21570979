using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Kuulo.Firmware.Tests.Api;

/// <summary>
/// What a nanoFramework <c>.nfproj</c> compiles and references, read the way MSBuild would: its
/// <c>&lt;Compile Include Exclude&gt;</c> globs (<c>**</c>, <c>*</c>, <c>?</c>, paths with backslashes, relative
/// to the project) and the assembly file names of its <c>&lt;Reference&gt;</c> HintPaths.
/// </summary>
public sealed class NfProject
{
    private static readonly XNamespace Ms = "http://schemas.microsoft.com/developer/msbuild/2003";

    private NfProject(string path, XDocument document)
    {
        Path = path;
        Document = document;
    }

    public string Path { get; }
    public XDocument Document { get; }
    public string Directory => System.IO.Path.GetDirectoryName(Path)!;

    public static NfProject Load(string path) => new(path, XDocument.Load(path));

    /// <summary>HintPaths as written, e.g. <c>..\packages\nanoFramework.M2Mqtt.5.1.220\lib\nanoFramework.M2Mqtt.dll</c>.</summary>
    public IReadOnlyList<string> HintPaths =>
        Document.Descendants(Ms + "Reference").Select(r => (string?)r.Element(Ms + "HintPath")).Where(h => h != null).Select(h => h!.Trim()).ToList();

    /// <summary>The assemblies the compiler is given: each HintPath's file name without <c>.dll</c>.</summary>
    public IReadOnlyList<string> ReferencedAssemblies =>
        HintPaths.Select(h => System.IO.Path.GetFileNameWithoutExtension(h.Replace('\\', '/'))).ToList();

    /// <summary>Every source file the project compiles, as full paths, in a stable order, each once.</summary>
    public IReadOnlyList<string> CompiledFiles()
    {
        var files = new List<string>();
        foreach (var item in Document.Descendants(Ms + "Compile"))
        {
            var includes = Split((string?)item.Attribute("Include"));
            var excludes = Split((string?)item.Attribute("Exclude")).Select(Glob).ToList();
            foreach (var include in includes)
            {
                foreach (var file in Expand(include))
                {
                    var relative = Relative(file);
                    if (!excludes.Any(e => e.IsMatch(relative)) && !files.Contains(file))
                    {
                        files.Add(file);
                    }
                }
            }
        }

        return files;
    }

    private IEnumerable<string> Expand(string include)
    {
        var pattern = include.Replace('\\', '/');
        int wildcard = pattern.IndexOfAny(['*', '?']);
        if (wildcard < 0)
        {
            var single = System.IO.Path.GetFullPath(System.IO.Path.Combine(Directory, pattern));
            return File.Exists(single) ? [single] : throw new FileNotFoundException($"the .nfproj compiles {include}, which does not exist");
        }

        // Enumerate below the fixed part of the pattern, then match the whole relative path.
        var fixedPart = pattern[..(pattern.LastIndexOf('/', wildcard) + 1)];
        var root = System.IO.Path.GetFullPath(System.IO.Path.Combine(Directory, fixedPart));
        var glob = Glob(include);
        return System.IO.Directory.Exists(root)
            ? System.IO.Directory.GetFiles(root, "*", SearchOption.AllDirectories).Where(f => glob.IsMatch(Relative(f))).Order(StringComparer.Ordinal)
            : [];
    }

    private string Relative(string file) => System.IO.Path.GetRelativePath(Directory, file).Replace('\\', '/');

    /// <summary>MSBuild glob to regex: <c>**/</c> any directories (or none), <c>*</c> within a name, <c>?</c> one character.</summary>
    internal static Regex Glob(string pattern)
    {
        var p = Regex.Escape(pattern.Replace('\\', '/'))
            .Replace(@"\*\*/", "(?:.*/)?")
            .Replace(@"/\*\*", "(?:/.*)?")
            .Replace(@"\*", "[^/]*")
            .Replace(@"\?", "[^/]");
        return new Regex("^" + p + "$", RegexOptions.CultureInvariant);
    }

    private static IEnumerable<string> Split(string? value) =>
        (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
