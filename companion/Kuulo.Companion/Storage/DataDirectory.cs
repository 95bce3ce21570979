namespace Kuulo.Companion.Storage;

/// <summary>
/// The data directory holds the database and the account hashes: only the companion's own user may enter it
/// (0700), and the files it creates there are its own alone (0600).
/// </summary>
public static class DataDirectory
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the directory, or narrows an existing one's permissions.</summary>
    public static void Prepare(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, OwnerOnlyDirectory);
        File.SetUnixFileMode(path, OwnerOnlyDirectory);
    }

    /// <summary>Creates <paramref name="file"/> empty if it is missing, and makes it readable by its owner only.</summary>
    public static void OwnerOnly(string file)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using (new FileStream(file, new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.Write, UnixCreateMode = OwnerOnlyFile }))
        {
        }

        File.SetUnixFileMode(file, OwnerOnlyFile);
    }

    /// <summary>Writes <paramref name="lines"/> to a new owner-only file that replaces <paramref name="file"/> in one step.</summary>
    public static void WriteOwnerOnly(string file, IEnumerable<string> lines)
    {
        string temporary = file + ".new";
        File.Delete(temporary);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        using (var writer = new StreamWriter(temporary, options))
        {
            foreach (var line in lines)
            {
                writer.Write(line + "\n");
            }
        }

        File.Move(temporary, file, overwrite: true);
    }
}
