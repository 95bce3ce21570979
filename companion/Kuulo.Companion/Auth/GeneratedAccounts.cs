using Kuulo.Companion.Registry;
using Kuulo.Companion.Storage;

namespace Kuulo.Companion.Auth;

/// <summary>
/// The accounts made when none are configured: one per role, named after it, with a random password that is
/// printed once and never stored; only its hash is kept, in &lt;data&gt;/accounts (0600). A forgotten password is
/// replaced with <c>kuulo-companion --reset-password NAME</c>.
/// </summary>
public static class GeneratedAccounts
{
    public const string ResetFlag = "--reset-password";

    /// <summary>Name, role and password hash of each generated account, creating them (and printing their passwords) on first use.</summary>
    public static IReadOnlyList<(string Name, string Role, string Hash)> Load(string dataDirectory, TextWriter console)
    {
        string file = Path.Combine(dataDirectory, "accounts");
        string legacy = Path.Combine(dataDirectory, "users.txt");
        if (!File.Exists(file) && File.Exists(legacy))
        {
            // Earlier versions kept the passwords themselves: keep the accounts, drop the plain text.
            Save(file, File.ReadAllLines(legacy).Where(l => l.Contains(':')).Select(l => l.Split(':', 3)).Select(p => (p[0], p[1], PasswordHash.Hash(p[2]))));
            File.Delete(legacy);
            console.WriteLine($"Kuulo: {legacy} held passwords in plain text; it is replaced by {file}, which holds only their hashes.");
        }

        if (!File.Exists(file))
        {
            var created = Roles.All.Select(role => (Name: role, Role: role, Password: PasswordHash.NewSecret())).ToList();
            Save(file, created.Select(a => (a.Name, a.Role, PasswordHash.Hash(a.Password))));
            Print(console, "No users configured: generated one account per role. Their passwords are shown now only", created);
        }

        return File.ReadAllLines(file).Select(l => l.Split(':', 3)).Where(p => p.Length == 3).Select(p => (p[0], p[1], p[2])).ToList();
    }

    /// <summary>kuulo-companion --reset-password NAME [NAME...]: new passwords for generated accounts, printed once.</summary>
    public static int Reset(string dataDirectory, IReadOnlyList<string> names, TextWriter console)
    {
        var accounts = Load(dataDirectory, console).ToList();
        var unknown = names.Where(n => accounts.All(a => a.Name != n)).ToList();
        if (names.Count == 0 || unknown.Count > 0)
        {
            console.WriteLine($"usage: kuulo-companion {ResetFlag} NAME [NAME...], NAME one of {string.Join(", ", accounts.Select(a => a.Name))}"
                + (unknown.Count > 0 ? $" (unknown: {string.Join(", ", unknown)})" : ""));
            return 2;
        }

        var reset = names.Distinct().Select(n => (Name: n, accounts.First(a => a.Name == n).Role, Password: PasswordHash.NewSecret())).ToList();
        foreach (var (name, role, password) in reset)
        {
            int i = accounts.FindIndex(a => a.Name == name);
            accounts[i] = (name, role, PasswordHash.Hash(password));
        }

        Save(Path.Combine(dataDirectory, "accounts"), accounts);
        Print(console, "New passwords (shown now only; a running companion picks them up when restarted, which also ends every sign-in session)", reset);
        return 0;
    }

    private static void Save(string file, IEnumerable<(string Name, string Role, string Hash)> accounts)
    {
        DataDirectory.Prepare(Path.GetDirectoryName(Path.GetFullPath(file))!);
        DataDirectory.WriteOwnerOnly(file, accounts.Select(a => $"{a.Name}:{a.Role}:{a.Hash}"));
    }

    private static void Print(TextWriter console, string heading, IEnumerable<(string Name, string Role, string Password)> accounts)
    {
        console.WriteLine(heading + ":");
        foreach (var (name, role, password) in accounts)
        {
            console.WriteLine($"  {name} ({role}): {password}");
        }

        console.WriteLine($"  (kuulo-companion {ResetFlag} NAME issues a new one)");
    }
}
