using Microsoft.AspNetCore.Diagnostics;

namespace Kuulo.Companion.Api;

/// <summary>
/// Every error answers application/problem+json with a message: bad query values and unreadable bodies say what
/// was wrong, and bare status codes (401, 403, 404) get a body too.
/// </summary>
public static class Problems
{
    public static void AddKuuloProblems(this IServiceCollection services)
    {
        // Parameter binding failures throw instead of answering an empty 400, so the message reaches the caller.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            if (context.HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error is BadHttpRequestException bad)
            {
                context.ProblemDetails.Status = bad.StatusCode;
                context.ProblemDetails.Detail = bad.Message;
            }

            context.ProblemDetails.Detail ??= context.ProblemDetails.Title;
        });
    }

    public static void UseKuuloProblems(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = error => error is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
    }
}
