using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Kuulo.Companion.Auth;

/// <summary>
/// Dashboard sign-in sessions, kept on the server: the cookie carries only a random session key, so signing out
/// (which removes the key) makes a copied cookie worthless. Held in memory: a restart, which is also how a
/// changed password takes effect, ends every session; behind a load balancer a session lives on the instance
/// that signed it in.
/// </summary>
public sealed class SessionStore(TimeProvider clock) : ITicketStore
{
    private const int PruneAbove = 10_000;
    private readonly ConcurrentDictionary<string, AuthenticationTicket> _tickets = new();

    public Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        if (_tickets.Count > PruneAbove)
        {
            foreach (var (key, _) in _tickets.Where(t => Expired(t.Value)))
            {
                _tickets.TryRemove(key, out _);
            }
        }

        string id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
        _tickets[id] = ticket;
        return Task.FromResult(id);
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        // Only a session that still exists is renewed: a sign-out racing a sliding renewal stays signed out.
        if (_tickets.ContainsKey(key))
        {
            _tickets[key] = ticket;
        }

        return Task.CompletedTask;
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        if (_tickets.TryGetValue(key, out var ticket) && Expired(ticket))
        {
            _tickets.TryRemove(key, out _);
            ticket = null;
        }

        return Task.FromResult(ticket);
    }

    public Task RemoveAsync(string key)
    {
        _tickets.TryRemove(key, out _);
        return Task.CompletedTask;
    }

    private bool Expired(AuthenticationTicket ticket) => ticket.Properties.ExpiresUtc is { } expires && expires < clock.GetUtcNow();

    /// <summary>Makes the cookie scheme keep its tickets here.</summary>
    public static void Use(IServiceCollection services)
    {
        services.AddSingleton<SessionStore>();
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<SessionStore>((cookie, store) => cookie.SessionStore = store);
    }
}
