using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Ticketing.WaitingRoom.Tickets;

namespace Ticketing.WaitingRoom.Identity;

/// <summary>
/// The queue's key for an account in an account room: AES-256 of the account id (16 bytes, XOR a per-room mask) under
/// a key derived from the ticket key, base64url like a random ticket id (22 characters). It is a keyed permutation,
/// so two accounts never share a place and nobody without the key can compute or guess another account's id; it is
/// the same on every instance and store (InProcess, Redis) that shares the ticket key, so one account has one place
/// per room from any device. It is reversible, so the pass issued at admission names the account in <c>sub</c>
/// without the store keeping the account id.
/// </summary>
internal sealed class AccountFanIds : IDisposable
{
    private readonly Aes _aes;
    private readonly Lock _sync = new();

    public AccountFanIds(byte[] ticketKey)
    {
        _aes = Aes.Create();
        _aes.Key = HMACSHA256.HashData(ticketKey, "ticketing-waitingroom/account-fan-id/v1"u8);
    }

    public string FanIdOf(string roomId, Guid account)
    {
        Span<byte> block = stackalloc byte[16];
        account.TryWriteBytes(block);
        Xor(block, roomId);
        Span<byte> encrypted = stackalloc byte[16];
        lock (_sync)
        {
            _aes.EncryptEcb(block, encrypted, PaddingMode.None);
        }

        return Base64Url.EncodeToString(encrypted);
    }

    /// <summary>The account an account room's fan id stands for.</summary>
    public Guid AccountOf(string roomId, string fanId)
    {
        Span<byte> encrypted = stackalloc byte[17];
        if (fanId.Length != QueueTicketCodec.IdLength || !Base64Url.TryDecodeFromChars(fanId, encrypted, out var written) || written != 16)
        {
            throw new ArgumentException("Not a fan id.", nameof(fanId));
        }

        Span<byte> block = stackalloc byte[16];
        lock (_sync)
        {
            _aes.DecryptEcb(encrypted[..16], block, PaddingMode.None);
        }

        Xor(block, roomId);
        return new Guid(block);
    }

    public void Dispose() => _aes.Dispose();

    private static void Xor(Span<byte> block, string roomId)
    {
        Span<byte> mask = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(roomId), mask);
        for (var i = 0; i < 16; i++)
        {
            block[i] ^= mask[i];
        }
    }
}
