namespace Ticketing.WaitingRoom.Tests;

public sealed class ArchitectureTests
{
    [Fact]
    public void WaitingRoom_references_none_of_the_booking_layers()
    {
        var references = typeof(Ticketing.WaitingRoom.Queue.QueueService).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
        foreach (var layer in new[] { "Ticketing.Domain", "Ticketing.Application", "Ticketing.Infrastructure", "Ticketing.WebApi" })
        {
            Assert.DoesNotContain(layer, references);
        }
    }

    [Fact]
    public void The_pass_verifier_uses_only_the_base_class_library()
    {
        // The verifier's own files (compiled into these tests) and the JWKS key ring it shares with the waiting room;
        // the WebApi's binding gate beside them uses EF.
        var root = Infrastructure.RepoPaths.Root;
        var passes = Path.Combine(root, "src", "Infrastructure", "AccessPasses");
        var jwks = Path.Combine(root, "src", "Shared", "Jwks");
        string[] verifier =
        [
            Path.Combine(passes, "AccessPassVerifier.cs"), Path.Combine(passes, "AccessPassVerifierOptions.cs"), Path.Combine(passes, "AccessPassResult.cs"),
            .. Directory.GetFiles(jwks, "*.cs"),
        ];
        foreach (var file in verifier)
        {
            foreach (var line in File.ReadLines(file).Where(l => l.StartsWith("using ", StringComparison.Ordinal)))
            {
                Assert.True(line.StartsWith("using System", StringComparison.Ordinal) || line == "using Ticketing.Jwks;", $"{Path.GetFileName(file)}: {line}");
            }
        }
    }
}
