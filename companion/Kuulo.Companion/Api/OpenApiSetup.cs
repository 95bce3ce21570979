using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Kuulo.Companion.Api;

/// <summary>The OpenAPI document names how to sign in: HTTP Basic for API clients, the dashboard's cookie.</summary>
public static class OpenApiSetup
{
    public static void Configure(OpenApiOptions options) => options.AddDocumentTransformer((document, _, _) =>
    {
        document.Info.Title = "Kuulo companion";
        document.Info.Description = "Desk units' calls and alerts, rolled up per local day of each site; devices and their configuration. "
            + "Times are ISO 8601; errors are application/problem+json.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["basic"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http, Scheme = "basic", Description = "A configured user name and password (roles: supervisor, facilities, admin)",
        };
        document.Components.SecuritySchemes["cookie"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Cookie, Name = "kuulo", Description = "Set by POST /api/auth/login (the dashboard)",
        };
        document.Security ??= new List<OpenApiSecurityRequirement>();
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("basic", document)] = new List<string>() });
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("cookie", document)] = new List<string>() });
        return Task.CompletedTask;
    });
}
