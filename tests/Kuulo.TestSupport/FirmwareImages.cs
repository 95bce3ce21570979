using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Kuulo.Core.Protocol;

namespace Kuulo.TestSupport;

/// <summary>Signing firmware images the way the release tooling does, and uploading them to a companion.</summary>
public static class FirmwareImages
{
    /// <summary>The release key's ECDSA P-256 signature (base64) over the image's manifest.</summary>
    public static string Sign(ECDsa key, string version, byte[] image) => Convert.ToBase64String(key.SignData(
        Encoding.UTF8.GetBytes(OtaOffer.Manifest(version, image.Length, Convert.ToHexStringLower(SHA256.HashData(image)))), HashAlgorithmName.SHA256));

    /// <summary>The public half as the companion and the desks are configured with it (base64 SubjectPublicKeyInfo).</summary>
    public static string PublicKey(ECDsa key) => Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());

    public static async Task<HttpResponseMessage> UploadAsync(HttpClient http, string version, byte[] image, string signature)
    {
        var content = new ByteArrayContent(image);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/firmware/images") { Content = content };
        request.Headers.Add("Kuulo-Firmware-Version", version);
        request.Headers.Add("Kuulo-Firmware-Signature", signature);
        return await http.SendAsync(request);
    }
}
