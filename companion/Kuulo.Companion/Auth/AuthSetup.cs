using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Kuulo.Companion.Auth;

/// <summary>Cookie sign-in for the dashboard, Basic for API clients, one set of role policies for both.</summary>
public static class AuthSetup
{
    private const string Either = "cookie-or-basic";

    public static IServiceCollection AddKuuloAuth(this IServiceCollection services)
    {
        services.AddSingleton<UserStore>();
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
        auth.MapPost("/login", async (LoginRequest request, UserStore users, HttpContext http) =>
        {
            string? role = users.Authenticate(request.Name ?? "", request.Password ?? "");
            if (role == null)
            {
                return Results.Problem("wrong user name or password", statusCode: 401);
            }

            var identity = new ClaimsIdentity(new[] { new Claim(ClaimTypes.Name, request.Name!), new Claim(ClaimTypes.Role, role) },
                CookieAuthenticationDefaults.AuthenticationScheme);
            await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
            return Results.Ok(new { name = request.Name, role });
        });
        auth.MapPost("/logout", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.NoContent();
        });
        auth.MapGet("/me", (ClaimsPrincipal user) => Results.Ok(new { name = user.Identity!.Name, role = user.FindFirstValue(ClaimTypes.Role) }))
            .RequireAuthorization(Roles.SignedIn);
    }

    public sealed record LoginRequest(string? Name, string? Password);

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
