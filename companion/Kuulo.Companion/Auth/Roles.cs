namespace Kuulo.Companion.Auth;

/// <summary>Who may do what: supervisors read stats, facilities run devices, admins do both and more.</summary>
public static class Roles
{
    public const string Supervisor = "supervisor";
    public const string Facilities = "facilities";
    public const string Admin = "admin";

    public static readonly string[] All = { Supervisor, Facilities, Admin };

    /// <summary>Authorization policy names.</summary>
    public const string ReadStats = "read-stats";
    public const string ManageDevices = "manage-devices";
    public const string Administer = "administer";
    public const string SignedIn = "signed-in";
}
