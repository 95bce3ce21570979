using System.Net;
using Kuulo.TestSupport;

namespace Kuulo.EndToEnd.Tests;

/// <summary>
/// An attacker on the desk's path to the companion (image downloads are plain HTTP): forwards each request with the
/// desk's own credentials and changes the image on the way back. Loopback only.
/// </summary>
internal sealed class TamperingProxy : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly HttpClient _companion;
    private readonly Func<byte[], byte[]> _tamper;

    public TamperingProxy(Uri companion, Func<byte[], byte[]> tamper)
    {
        _companion = new HttpClient { BaseAddress = companion };
        _tamper = tamper;
        Url = $"http://127.0.0.1:{FreePort.Next()}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public string Url { get; }

    /// <summary>Requests the proxy has forwarded (a desk that refuses an offer before downloading makes none).</summary>
    public int Requests;

    /// <summary>One byte flipped in the middle: same size, different hash.</summary>
    public static byte[] FlipByte(byte[] image)
    {
        var copy = (byte[])image.Clone();
        copy[copy.Length / 2] ^= 0x5A;
        return copy;
    }

    /// <summary>A payload appended after the genuine image.</summary>
    public static byte[] Append(byte[] image) => image.Concat(new byte[4096]).ToArray();

    public static byte[] Unchanged(byte[] image) => image;

    public void Dispose()
    {
        _listener.Close();
        _companion.Dispose();
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref Requests);
            var request = new HttpRequestMessage(HttpMethod.Get, context.Request.RawUrl);
            request.Headers.TryAddWithoutValidation("Authorization", context.Request.Headers["Authorization"]);
            using var answer = await _companion.SendAsync(request);
            byte[] body = await answer.Content.ReadAsByteArrayAsync();
            if (answer.IsSuccessStatusCode)
            {
                body = _tamper(body);
            }

            context.Response.StatusCode = (int)answer.StatusCode;
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }
}
