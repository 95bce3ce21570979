using System.Security.Cryptography;

namespace Kuulo.Companion.Registry;

/// <summary>
/// PBKDF2-SHA512 in Mosquitto's "$7$" format ($7$iterations$salt$hash, base64), so a device's stored hash can be
/// exported as-is into a Mosquitto password file and checked by the embedded broker alike.
/// </summary>
public static class PasswordHash
{
    private const int Iterations = 10_000;
    private const int SaltBytes = 12;
    private const int HashBytes = 64;
    private static readonly Lazy<string> Throwaway = new(() => Hash(NewSecret()));

    public static string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA512, HashBytes);
        return $"$7${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>
    /// Checks <paramref name="password"/> against <paramref name="stored"/>. With no stored hash (an unknown user)
    /// it checks against a throwaway one and answers false, so unknown names take as long as known ones.
    /// </summary>
    public static bool Verify(string password, string? stored)
    {
        if (stored == null)
        {
            Verify(password, Throwaway.Value);
            return false;
        }

        var parts = stored.Split('$');
        if (parts.Length != 5 || parts[1] != "7" || !int.TryParse(parts[2], out int iterations))
        {
            return false;
        }

        try
        {
            var salt = Convert.FromBase64String(parts[3]);
            var expected = Convert.FromBase64String(parts[4]);
            var actual = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA512, expected.Length);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>A new random credential: 24 characters of URL-safe base64.</summary>
    public static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
}
