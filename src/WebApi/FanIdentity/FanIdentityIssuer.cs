using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Ticketing.WebApi.FanIdentity;

/// <summary>A published ES256 public key of the fan-identity key ring.</summary>
public sealed record FanIdentityJwk(string Kty, string Crv, string X, string Y, string Kid, string Use, string Alg);

public sealed record FanIdentityJwkSet(IReadOnlyList<FanIdentityJwk> Keys);

/// <summary>A fan identity and when it stops being accepted.</summary>
public sealed record QueueIdentityResponse(string Identity, DateTimeOffset ExpiresAt);

/// <summary>
/// Signs fan identities: JWS compact, ES256, header <c>kid</c> (RFC 7638 thumbprint); claims <c>iss</c>, <c>aud</c>
/// (the waiting room), <c>sub</c> (the account id, Guid "D" format), <c>iat</c>, <c>exp</c> and <c>jti</c>. Its own key
/// ring, apart from the waiting room's pass keys and the ticket key: the waiting room trusts this key for who a fan
/// is, the booking API trusts the waiting room's key for whom it admitted.
/// </summary>
public sealed class FanIdentityIssuer : IDisposable
{
    private readonly ECDsa _signing;
    private readonly List<(ECDsa Key, FanIdentityJwk Jwk)> _published = [];
    private readonly string _header;
    private readonly FanIdentityOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _sync = new();

    public FanIdentityIssuer(IOptions<FanIdentityOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        _signing = LoadOrCreate(_options);
        var current = Describe(_signing);
        _published.Add((_signing, current));
        foreach (var pem in _options.PreviousPublicKeysPem)
        {
            var previous = ECDsa.Create();
            previous.ImportFromPem(pem);
            EnsureP256(previous);
            _published.Add((previous, Describe(previous)));
        }

        _header = Base64Url.EncodeToString(Encoding.UTF8.GetBytes("{\"alg\":\"ES256\",\"kid\":\"" + current.Kid + "\",\"typ\":\"JWT\"}"));
    }

    public FanIdentityJwkSet KeySet => new(_published.ConvertAll(p => p.Jwk));

    public QueueIdentityResponse Issue(Guid accountId)
    {
        var now = _time.GetUtcNow();
        var expiresAt = now.AddSeconds(_options.LifetimeSeconds);
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iss"] = _options.Issuer,
            ["aud"] = _options.Audience,
            ["sub"] = accountId.ToString("D"),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = expiresAt.ToUnixTimeSeconds(),
            ["jti"] = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)),
        });
        var signingInput = _header + "." + Base64Url.EncodeToString(payload);
        byte[] signature;
        lock (_sync)
        {
            signature = _signing.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }

        return new QueueIdentityResponse(signingInput + "." + Base64Url.EncodeToString(signature), DateTimeOffset.FromUnixTimeSeconds(expiresAt.ToUnixTimeSeconds()));
    }

    public void Dispose()
    {
        foreach (var (key, _) in _published)
        {
            key.Dispose();
        }
    }

    private static ECDsa LoadOrCreate(FanIdentityOptions options)
    {
        var key = ECDsa.Create();
        if (options.PrivateKeyPem is { Length: > 0 } configured)
        {
            key.ImportFromPem(configured);
        }
        else
        {
            // Development: generated once, kept beside the other generated keys (git-ignored), so identities survive a restart.
            var file = options.KeyFile ?? throw new InvalidOperationException("FanIdentity:KeyFile is not set.");
            if (File.Exists(file))
            {
                key.ImportFromPem(File.ReadAllText(file));
            }
            else
            {
                key.Dispose();
                key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
                var temp = file + ".tmp";
                File.WriteAllText(temp, key.ExportPkcs8PrivateKeyPem());
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }

                File.Move(temp, file, overwrite: true);
            }
        }

        EnsureP256(key);
        return key;
    }

    private static FanIdentityJwk Describe(ECDsa key)
    {
        var p = key.ExportParameters(false);
        var x = Base64Url.EncodeToString(p.Q.X);
        var y = Base64Url.EncodeToString(p.Q.Y);
        var thumbprint = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + x + "\",\"y\":\"" + y + "\"}";
        var kid = Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(thumbprint)));
        return new FanIdentityJwk("EC", "P-256", x, y, kid, "sig", "ES256");
    }

    private static void EnsureP256(ECDsa key)
    {
        if (key.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            throw new InvalidOperationException("FanIdentity keys must be EC P-256 (ES256).");
        }
    }
}
