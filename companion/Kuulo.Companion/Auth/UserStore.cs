using Kuulo.Companion.Options;
using Kuulo.Companion.Registry;
using Microsoft.Extensions.Options;

namespace Kuulo.Companion.Auth;

/// <summary>
/// The dashboard and API accounts: configured under Kuulo:Users, or else the <see cref="GeneratedAccounts"/>.
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
            foreach (var (name, role, hash) in GeneratedAccounts.Load(options.Value.DataDirectory, Console.Out))
            {
                _users[name] = (hash, role);
            }

            log.LogWarning("No users configured: using the generated accounts in {Directory} (replace a password with {Flag} NAME)",
                Path.GetFullPath(options.Value.DataDirectory), GeneratedAccounts.ResetFlag);
        }
    }

    /// <summary>The user's role, or null when the name or password is wrong.</summary>
    public string? Authenticate(string name, string password) =>
        PasswordHash.Verify(password, _users.TryGetValue(name, out var user) ? user.Hash : null) ? user.Role : null;
}
