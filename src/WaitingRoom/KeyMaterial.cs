using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Ticketing.WaitingRoom.Endpoints;
using Ticketing.WaitingRoom.Passes;

namespace Ticketing.WaitingRoom;

/// <summary>Loads keys from configuration, or generates development keys once into the key directory (git-ignored <c>data/</c>).</summary>
internal static partial class KeyMaterial
{
    public static string ResolveDirectory(WaitingRoomOptions options, IHostEnvironment environment) =>
        Path.IsPathRooted(options.KeyDirectory) ? options.KeyDirectory : Path.Combine(environment.ContentRootPath, options.KeyDirectory);

    public static byte[] TicketKey(WaitingRoomOptions options, string directory)
    {
        if (options.TicketKey is { Length: > 0 } configured)
        {
            return Convert.FromBase64String(configured);
        }

        var file = Path.Combine(directory, "ticket-key.txt");
        return Convert.FromBase64String(ReadOrCreate(file, () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
    }

    public static AdminKey AdminKey(WaitingRoomOptions options, string directory, ILogger logger)
    {
        var key = options.AdminKey;
        if (string.IsNullOrEmpty(key))
        {
            var file = Path.Combine(directory, "admin-key.txt");
            key = ReadOrCreate(file, () => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24)));
            LogGeneratedAdminKey(logger, file);
        }

        return new AdminKey(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    public static SigningKeyRing SigningKeys(WaitingRoomOptions options, string directory, TimeProvider time)
    {
        var retention = TimeSpan.FromSeconds(options.Pass.MaxLifetimeSeconds + 60);
        return options.Signing.PrivateKeyPem is { Length: > 0 } pem
            ? SigningKeyRing.FromPem(pem, options.Signing.PreviousPublicKeysPem, time, retention)
            : SigningKeyRing.FromDirectory(directory, time, retention);
    }

    private static string ReadOrCreate(string file, Func<string> create)
    {
        if (File.Exists(file))
        {
            return File.ReadAllText(file).Trim();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var value = create();
        File.WriteAllText(file, value);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return value;
    }

    // The key itself is never logged: logs travel further than the key file.
    [LoggerMessage(Level = LogLevel.Warning, Message = "No WaitingRoom:AdminKey configured; the development admin key is in {File}. Send it as X-Admin-Key.")]
    private static partial void LogGeneratedAdminKey(ILogger logger, string file);
}
