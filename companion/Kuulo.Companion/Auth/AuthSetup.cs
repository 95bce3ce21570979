using System.Security.Claims;
using System.Threading.RateLimiting;
using Kuulo.Companion.Options;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace Kuulo.Companion.Auth;

/// <summary>Cookie sign-in for the dashboard, Basic for API clients, one set of role policies for both.</summary>
public static class AuthSetup
{
    private const string Either = "cookie-or-basic";
    private const string SignInPolicy = "sign-in";

    public static IServiceCollection AddKuuloAuth(this IServiceCollection services)
    {
        services.AddSingleton<UserStore>();
        services.AddSingleton<SignInThrottle>();
        // Every sign-in costs a password hash, right or wrong: the framework's limiter bounds them per address.
        services.AddRateLimiter(o =>
        {
            o.AddPolicy(SignInPolicy, http =>
            {
                var signIn = http.RequestServices.GetRequiredService<IOptions<KuuloOptions>>().Value.SignIn;
                return RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, signIn.LoginsPerAddress), Window = signIn.Window, QueueLimit = 0 });
            });
            o.OnRejected = (context, _) => new ValueTask(TooManyAsync(context.HttpContext,
                context.HttpContext.RequestServices.GetRequiredService<IOptions<KuuloOptions>>().Value.SignIn.Window));
        });
        services.AddAuthentication(Either)
            .AddPolicyScheme(Either, "Cookie or Basic", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)
                    ? BasicAuthenticationHandler.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, BasicAuthenticationHandler>(BasicAuthenticationHandler.SchemeName, null)
            .AddCookie(o =>
            {
                o.Cookie.Name = "kuulo";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromHours(12);
                o.LoginPath = "/login";
                // The API answers with status codes; only pages redirect to the sign-in page.
                o.Events.OnRedirectToLogin = c => Deny(c, 401);
                o.Events.OnRedirectToAccessDenied = c => Deny(c, 403);
            });
        SessionStore.Use(services);
        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.ReadStats, p => p.RequireRole(Roles.Supervisor, Roles.Admin))
            .AddPolicy(Roles.ManageDevices, p => p.RequireRole(Roles.Facilities, Roles.Admin))
            .AddPolicy(Roles.Administer, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Roles.SignedIn, p => p.RequireAuthenticatedUser());
        return services;
    }

    /// <summary>POST /api/auth/login {name, password} sets the cookie; POST /api/auth/logout clears it; GET /api/auth/me.</summary>
    public static void MapAuthApi(this WebApplication app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("auth");
        auth.MapPost("/login", async (LoginRequest request, UserStore users, SignInThrottle throttle, HttpContext http) =>
        {
            string name = request.Name ?? "";
            string? address = http.Connection.RemoteIpAddress?.ToString();
            if (throttle.IsBlocked("http", name, address))
            {
                await TooManyAsync(http, throttle.Window);
                return Results.Empty;
            }

            string? role = users.Authenticate(name, request.Password ?? "");
            if (role == null)
            {
                throttle.Failed("http", name, address);
                return Results.Problem("wrong user name or password", statusCode: 401);
            }

            var identity = new ClaimsIdentity(new[] { new Claim(ClaimTypes.Name, request.Name!), new Claim(ClaimTypes.Role, role) },
                CookieAuthenticationDefaults.AuthenticationScheme);
            await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
            return Results.Ok(new { name = request.Name, role });
        }).RequireRateLimiting(SignInPolicy);
        auth.MapPost("/logout", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.NoContent();
        });
        auth.MapGet("/me", (ClaimsPrincipal user) => Results.Ok(new { name = user.Identity!.Name, role = user.FindFirstValue(ClaimTypes.Role) }))
            .RequireAuthorization(Roles.SignedIn);
    }

    public sealed record LoginRequest(string? Name, string? Password);

    /// <summary>429 with Retry-After and a problem+json body.</summary>
    public static Task TooManyAsync(HttpContext http, TimeSpan retryAfter)
    {
        http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString();
        return Results.Problem("too many sign-in attempts; try again later", statusCode: 429).ExecuteAsync(http);
    }

    private static Task Deny(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/metrics")
            || context.Request.Path.StartsWithSegments("/openapi"))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }
}
