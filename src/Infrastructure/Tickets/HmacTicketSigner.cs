using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Ticketing.Application.Abstractions;

namespace Ticketing.Infrastructure.Tickets;

/// <summary><c>Tickets</c> section.</summary>
public sealed class TicketOptions
{
    public const string SectionName = "Tickets";

    /// <summary>
    /// The HMAC-SHA256 key (base64, at least 32 bytes) shared with the entry scanners. When empty, a key is created
    /// once in <see cref="KeyFile"/> and kept there (the embedded default).
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>Where the generated key lives when <see cref="SigningKey"/> is empty.</summary>
    public string? KeyFile { get; set; }
}

/// <summary>
/// QR content <c>TKT1.{ticketId:N}.{performanceId}.{seatId}.{signature}</c>, the signature being base64url
/// HMAC-SHA256 over everything before it. A scanner with the key checks it offline; the server checks it too.
/// A ticket re-issued by a transfer carries its QR serial before the signature:
/// <c>TKT1.{ticketId:N}.{performanceId}.{seatId}.{serial}.{signature}</c>.
/// </summary>
internal sealed class HmacTicketSigner : ITicketSigner
{
    private const string Prefix = "TKT1";
    private readonly byte[] _key;

    public HmacTicketSigner(IOptions<TicketOptions> options)
    {
        _key = LoadKey(options.Value);
    }

    public string Sign(Guid ticketId, long performanceId, long seatId)
    {
        var payload = string.Create(CultureInfo.InvariantCulture, $"{Prefix}.{ticketId:N}.{performanceId}.{seatId}");
        return payload + "." + Signature(payload);
    }

    public string Sign(Guid ticketId, long performanceId, long seatId, int qrSerial)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(qrSerial);
        if (qrSerial == 0)
        {
            return Sign(ticketId, performanceId, seatId);
        }

        var payload = string.Create(CultureInfo.InvariantCulture, $"{Prefix}.{ticketId:N}.{performanceId}.{seatId}.{qrSerial}");
        return payload + "." + Signature(payload);
    }

    public SignedTicket? Verify(string content)
    {
        if (string.IsNullOrEmpty(content) || content.Length > 200)
        {
            return null;
        }

        var cut = content.LastIndexOf('.');
        if (cut <= 0)
        {
            return null;
        }

        var payload = content[..cut];
        var expected = Encoding.ASCII.GetBytes(Signature(payload));
        var given = Encoding.ASCII.GetBytes(content[(cut + 1)..]);
        if (!CryptographicOperations.FixedTimeEquals(expected, given))
        {
            return null;
        }

        var parts = payload.Split('.');
        var serial = 0;
        if (parts.Length == 5)
        {
            // Transfer (issue 13.4): a re-issued ticket's serial.
            if (!int.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out serial) || serial <= 0)
            {
                return null;
            }

            parts = parts[..4];
        }

        return parts.Length == 4 && parts[0] == Prefix
            && Guid.TryParseExact(parts[1], "N", out var id)
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var performanceId)
            && long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var seatId)
            ? new SignedTicket(id, performanceId, seatId) { QrSerial = serial }
            : null;
    }

    private string Signature(string payload) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(payload))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] LoadKey(TicketOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.SigningKey))
        {
            var configured = Convert.FromBase64String(options.SigningKey);
            return configured.Length >= 32 ? configured : throw new InvalidOperationException("Tickets:SigningKey must be at least 32 bytes (base64).");
        }

        var file = options.KeyFile ?? throw new InvalidOperationException("Tickets:SigningKey or Tickets:KeyFile is required.");
        if (File.Exists(file))
        {
            return Convert.FromBase64String(File.ReadAllText(file).Trim());
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        var key = RandomNumberGenerator.GetBytes(32);
        try
        {
            using var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write);
            stream.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(key)));
            return key;
        }
        catch (IOException) when (File.Exists(file))
        {
            // Another instance created it first; use theirs.
            return Convert.FromBase64String(File.ReadAllText(file).Trim());
        }
    }
}
