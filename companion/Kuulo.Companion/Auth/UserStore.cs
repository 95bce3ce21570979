using Kuulo.Companion.Options;
using Kuulo.Companion.Registry;
using Microsoft.Extensions.Options;

namespace Kuulo.Companion.Auth;

/// <summary>
/// The dashboard and API accounts. Configured under Kuulo:Users; when none are, one account per role is made
/// with a random password and written once to users.txt in the data directory (readable by its owner only).
/// </summary>
public sealed class UserStore
{
    public const int MinPasswordLength = 12;

    private readonly Dictionary<string, (string Hash, string Role)> _users = new(StringComparer.Ordinal);

    public UserStore(IOptions<KuuloOptions> options, ILogger<UserStore> log)
    {
        var configured = options.Value.Users;
        foreach (var (name, user) in configured)
        {
            if (!Roles.All.Contains(user.Role))
            {
                throw new InvalidOperationException($"Kuulo:Users:{name}: role '{user.Role}' is not one of {string.Join(", ", Roles.All)}");
            }

            if (user.Password.Length < MinPasswordLength)
            {
                throw new InvalidOperationException($"Kuulo:Users:{name}: the password must have at least {MinPasswordLength} characters");
            }

            _users[name] = (PasswordHash.Hash(user.Password), user.Role);
        }

        if (_users.Count == 0)
        {
            string file = Path.Combine(options.Value.DataDirectory, "users.txt");
            var lines = File.Exists(file) ? File.ReadAllLines(file) : CreateDefaults(file);
            foreach (var line in lines.Where(l => l.Contains(':')))
            {
                var parts = line.Split(':', 3);
                _users[parts[0]] = (PasswordHash.Hash(parts[2]), parts[1]);
            }

            log.LogWarning("No users configured: sign in with the accounts in {File}", Path.GetFullPath(file));
        }
    }

    /// <summary>The user's role, or null when the name or password is wrong.</summary>
    public string? Authenticate(string name, string password) =>
        PasswordHash.Verify(password, _users.TryGetValue(name, out var user) ? user.Hash : null) ? user.Role : null;

    private static string[] CreateDefaults(string file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        var lines = Roles.All.Select(role => $"{role}:{role}:{PasswordHash.NewSecret()}").ToArray();
        File.WriteAllLines(file, lines);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return lines;
    }
}
