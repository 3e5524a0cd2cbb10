using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Ticketing.WaitingRoom.Tickets;

/// <summary>
/// A queue ticket is <c>{id}.{mac}</c>: 16 random bytes and the first 16 bytes of
/// HMAC-SHA256(key, room + "\n" + id), both base64url (22 characters each). The id is the fan's key in the store
/// and the pass subject; the MAC binds it to the room, so a forged, altered or other room's ticket is refused.
/// Every status request checks a ticket, so each thread keeps one keyed HMAC and resets it after each use: setting up
/// a fresh OpenSSL HMAC context per call cost about as much again as the hashing itself.
/// </summary>
internal sealed class QueueTicketCodec(byte[] key) : IDisposable
{
    public const int IdLength = 22;
    public const int TicketLength = (IdLength * 2) + 1;
    private const int MacBytes = 16;

    private readonly ThreadLocal<IncrementalHash> _hmac = new(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key), trackAllValues: true);

    public void Dispose()
    {
        foreach (var hmac in _hmac.Values)
        {
            hmac.Dispose();
        }

        _hmac.Dispose();
    }

    public string Issue(string roomId)
    {
        Span<byte> id = stackalloc byte[16];
        RandomNumberGenerator.Fill(id);
        Span<char> idChars = stackalloc char[IdLength];
        Base64Url.EncodeToChars(id, idChars);
        return Issue(roomId, idChars);
    }

    /// <summary>A ticket for a given fan id (an account room's fan id, derived from the account).</summary>
    public string Issue(string roomId, ReadOnlySpan<char> fanId)
    {
        if (fanId.Length != IdLength)
        {
            throw new ArgumentException("A fan id is 22 base64url characters.", nameof(fanId));
        }

        Span<char> chars = stackalloc char[TicketLength];
        fanId.CopyTo(chars);
        chars[IdLength] = '.';
        Span<byte> mac = stackalloc byte[MacBytes];
        ComputeMac(roomId, chars[..IdLength], mac);
        Base64Url.EncodeToChars(mac, chars[(IdLength + 1)..]);
        return new string(chars);
    }

    /// <summary>Checks the ticket for this room; on success returns the id part (the fan's key).</summary>
    public bool TryValidate(string roomId, string? ticket, out string fanId)
    {
        fanId = string.Empty;
        if (ticket is null || ticket.Length != TicketLength || ticket[IdLength] != '.')
        {
            return false;
        }

        // Base64Url.TryDecodeFromChars throws on characters outside the alphabet, so check them first.
        if (!IsBase64Url(ticket.AsSpan(0, IdLength)) || !IsBase64Url(ticket.AsSpan(IdLength + 1)))
        {
            return false;
        }

        var idChars = ticket.AsSpan(0, IdLength);
        Span<byte> id = stackalloc byte[17];
        if (!Base64Url.TryDecodeFromChars(idChars, id, out var idWritten) || idWritten != 16)
        {
            return false;
        }

        Span<byte> given = stackalloc byte[17];
        if (!Base64Url.TryDecodeFromChars(ticket.AsSpan(IdLength + 1), given, out var macWritten) || macWritten != MacBytes)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[MacBytes];
        ComputeMac(roomId, idChars, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, given[..MacBytes]))
        {
            return false;
        }

        fanId = ticket[..IdLength];
        return true;
    }

    private static bool IsBase64Url(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is not ((>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    private void ComputeMac(string roomId, ReadOnlySpan<char> id, Span<byte> mac)
    {
        Span<byte> message = stackalloc byte[(64 * 3) + 1 + IdLength];
        var length = Encoding.UTF8.GetBytes(roomId, message);
        message[length++] = (byte)'\n';
        length += Encoding.ASCII.GetBytes(id, message[length..]);
        Span<byte> full = stackalloc byte[32];

        // A thread's instance is used by that thread alone, and GetHashAndReset leaves it keyed and empty for the next call.
        var hmac = _hmac.Value!;
        hmac.AppendData(message[..length]);
        hmac.GetHashAndReset(full);
        full[..mac.Length].CopyTo(mac);
    }
}
