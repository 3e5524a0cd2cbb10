using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Ticketing.WaitingRoom.Passes;

/// <summary>One P-256 key: signs while current; after rotation only published, until every pass it signed expired.</summary>
internal sealed class SigningKey : IDisposable
{
    private readonly ECDsa _key;
    private readonly Lock _sync = new();

    public SigningKey(ECDsa key, bool canSign, DateTimeOffset createdAt, DateTimeOffset? retiredAt)
    {
        _key = key;
        CanSign = canSign;
        CreatedAt = createdAt;
        RetiredAt = retiredAt;
        var p = key.ExportParameters(false);
        X = Base64Url.EncodeToString(p.Q.X);
        Y = Base64Url.EncodeToString(p.Q.Y);
        var thumbprintInput = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + X + "\",\"y\":\"" + Y + "\"}";
        Kid = Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(thumbprintInput)));
        KidUtf8 = Encoding.UTF8.GetBytes(Kid);
        HeaderSegment = Base64Url.EncodeToString(Encoding.UTF8.GetBytes("{\"alg\":\"ES256\",\"kid\":\"" + Kid + "\",\"typ\":\"JWT\"}"));
    }

    /// <summary>RFC 7638 thumbprint of the public key.</summary>
    public string Kid { get; }

    public byte[] KidUtf8 { get; }

    public string X { get; }

    public string Y { get; }

    public bool CanSign { get; }

    public DateTimeOffset CreatedAt { get; }

    public DateTimeOffset? RetiredAt { get; set; }

    /// <summary>base64url of the JOSE header, precomputed.</summary>
    public string HeaderSegment { get; }

    /// <summary>ES256 signature in JOSE form (raw r||s, 64 bytes).</summary>
    public int Sign(ReadOnlySpan<byte> data, Span<byte> signature)
    {
        lock (_sync)
        {
            return _key.SignData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
    }

    /// <summary>Checks an ES256 signature in JOSE form.</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        lock (_sync)
        {
            return _key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
    }

    public byte[] ExportPkcs8() => _key.ExportPkcs8PrivateKey();

    public void Dispose() => _key.Dispose();
}

/// <summary>
/// The signing keys: one current key signs passes; retired keys stay in the JWKS until
/// <c>retiredAt + Pass:MaxLifetimeSeconds</c>, so every pass they signed can still be checked.
/// Development keys persist in <c>{KeyDirectory}/signing-keys.json</c>; production keys come from configuration.
/// </summary>
internal sealed class SigningKeyRing : IDisposable
{
    private const string FileName = "signing-keys.json";

    private readonly Lock _sync = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _retention;
    private readonly string? _file;
    private List<SigningKey> _keys;
    private SigningKey _current;

    private SigningKeyRing(List<SigningKey> keys, TimeProvider time, TimeSpan retention, string? file)
    {
        _keys = keys;
        _time = time;
        _retention = retention;
        _file = file;
        _current = keys.Find(k => k.CanSign && k.RetiredAt is null) ?? throw new InvalidOperationException("No active signing key.");
    }

    public SigningKey Current => _current;

    public static SigningKeyRing FromPem(string privateKeyPem, IEnumerable<string> previousPublicKeysPem, TimeProvider time, TimeSpan retention)
    {
        var keys = new List<SigningKey>();
        var now = time.GetUtcNow();
        var current = ECDsa.Create();
        current.ImportFromPem(privateKeyPem);
        EnsureP256(current);
        keys.Add(new SigningKey(current, true, now, null));
        foreach (var pem in previousPublicKeysPem)
        {
            var old = ECDsa.Create();
            old.ImportFromPem(pem);
            EnsureP256(old);
            keys.Add(new SigningKey(old, false, now, now));
        }

        return new SigningKeyRing(keys, time, retention, null);
    }

    /// <summary>Loads the development keys from <paramref name="directory"/>, generating one at first run.</summary>
    public static SigningKeyRing FromDirectory(string directory, TimeProvider time, TimeSpan retention)
    {
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, FileName);
        var keys = new List<SigningKey>();
        if (File.Exists(file))
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
            foreach (var item in doc.RootElement.EnumerateArray())
            {
                var key = ECDsa.Create();
                key.ImportPkcs8PrivateKey(Convert.FromBase64String(item.GetProperty("pkcs8").GetString()!), out _);
                DateTimeOffset? retired = item.TryGetProperty("retiredAt", out var r) && r.ValueKind == JsonValueKind.String ? r.GetDateTimeOffset() : null;
                keys.Add(new SigningKey(key, true, item.GetProperty("createdAt").GetDateTimeOffset(), retired));
            }
        }

        if (!keys.Exists(k => k.RetiredAt is null))
        {
            keys.Add(new SigningKey(ECDsa.Create(ECCurve.NamedCurves.nistP256), true, time.GetUtcNow(), null));
        }

        var ring = new SigningKeyRing(keys, time, retention, file);
        ring.Save();
        return ring;
    }

    /// <summary>Published keys: the current one and retired ones whose passes may still be valid.</summary>
    public IReadOnlyList<SigningKey> PublishedKeys()
    {
        var now = _time.GetUtcNow();
        var list = new List<SigningKey>();
        lock (_sync)
        {
            foreach (var key in _keys)
            {
                if (key.RetiredAt is not { } retired || retired + _retention > now)
                {
                    list.Add(key);
                }
            }
        }

        return list;
    }

    /// <summary>The published key whose kid is <paramref name="kidUtf8"/> (the gateway's pass check; no allocation), or null.</summary>
    public SigningKey? FindPublished(ReadOnlySpan<byte> kidUtf8)
    {
        var keys = Volatile.Read(ref _keys);
        foreach (var key in keys)
        {
            if (key.KidUtf8.AsSpan().SequenceEqual(kidUtf8))
            {
                return key.RetiredAt is not { } retired || retired + _retention > _time.GetUtcNow() ? key : null;
            }
        }

        return null;
    }

    /// <summary>Starts signing with a new key; the old one stays published for the retention period.</summary>
    public SigningKey Rotate()
    {
        var now = _time.GetUtcNow();
        lock (_sync)
        {
            var next = new SigningKey(ECDsa.Create(ECCurve.NamedCurves.nistP256), true, now, null);
            var kept = new List<SigningKey>();
            foreach (var key in _keys)
            {
                key.RetiredAt ??= now;
                if (key.RetiredAt.Value + _retention > now)
                {
                    kept.Add(key);
                }
            }

            kept.Add(next);
            _keys = kept;
            _current = next;
            Save();
            return next;
        }
    }

    public void Dispose()
    {
        foreach (var key in _keys)
        {
            key.Dispose();
        }
    }

    private void Save()
    {
        if (_file is null)
        {
            return;
        }

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartArray();
            foreach (var key in _keys)
            {
                writer.WriteStartObject();
                writer.WriteString("kid", key.Kid);
                writer.WriteString("createdAt", key.CreatedAt);
                if (key.RetiredAt is { } retired)
                {
                    writer.WriteString("retiredAt", retired);
                }

                writer.WriteString("pkcs8", Convert.ToBase64String(key.ExportPkcs8()));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        var temp = _file + ".tmp";
        File.WriteAllBytes(temp, stream.ToArray());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temp, _file, overwrite: true);
    }

    private static void EnsureP256(ECDsa key)
    {
        var p = key.ExportParameters(false);
        if (p.Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            throw new InvalidOperationException("WaitingRoom signing keys must be EC P-256 (ES256).");
        }
    }
}
