namespace Kuulo.Companion.Api;

/// <summary>
/// Headers on every response that make the browser refuse what the dashboard never does: script or style from
/// anywhere but the companion, inline script or event handlers (so injected markup cannot run), being framed,
/// guessing content types, and sending the page's address to other sites.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; object-src 'none'; "
        + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    // Set as the response starts, not as the request comes in: the exception handler clears the headers of a
    // response it rewrites (a 400 problem+json), and those must carry them too.
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            return Task.CompletedTask;
        });
        return next(context);
    });
}
