namespace Kuulo.Companion.Api;

/// <summary>
/// Endpoints that answer only to the query parameters they know: a link carrying anything else (such as markup
/// smuggled in after an encoded '&amp;') gets a 400 instead of a page that seems to work.
/// </summary>
public static class QueryParameters
{
    public static RouteHandlerBuilder AllowOnly(this RouteHandlerBuilder endpoint, params string[] names) =>
        endpoint.AddEndpointFilter(async (context, next) =>
        {
            string? unknown = context.HttpContext.Request.Query.Keys.FirstOrDefault(k => !names.Contains(k, StringComparer.OrdinalIgnoreCase));
            return unknown == null
                ? await next(context)
                : Results.Problem($"unknown query parameter '{unknown}'; this endpoint takes {string.Join(", ", names)}", statusCode: 400);
        });
}
