using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Kuulo.Companion.Auth;

/// <summary>HTTP Basic sign-in against the <see cref="UserStore"/>, for scripts and API clients.</summary>
public sealed class BasicAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger,
    UrlEncoder encoder, UserStore users, SignInThrottle throttle) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Basic";

    private bool _throttled;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
        }
        catch (FormatException)
        {
            return Task.FromResult(AuthenticateResult.Fail("malformed Basic credentials"));
        }

        int colon = decoded.IndexOf(':');
        string name = colon < 0 ? decoded : decoded[..colon];
        string? address = Context.Connection.RemoteIpAddress?.ToString();
        if (throttle.IsBlocked("http", name, address))
        {
            _throttled = true;
            return Task.FromResult(AuthenticateResult.Fail("too many failed sign-ins"));
        }

        string? role = colon < 0 ? null : users.Authenticate(name, decoded[(colon + 1)..]);
        if (role == null)
        {
            throttle.Failed("http", name, address);
            return Task.FromResult(AuthenticateResult.Fail("wrong user name or password"));
        }

        var identity = new ClaimsIdentity(new[] { new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role) }, SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (_throttled)
        {
            return AuthSetup.TooManyAsync(Context, throttle.Window);
        }

        Response.StatusCode = 401;
        Response.Headers.WWWAuthenticate = "Basic realm=\"kuulo\"";
        return Task.CompletedTask;
    }
}
