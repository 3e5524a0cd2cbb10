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
        // The verifier's own files (compiled into these tests); the WebApi's binding gate beside them uses EF.
        var folder = Path.Combine(Infrastructure.RepoPaths.Root, "src", "Infrastructure", "AccessPasses");
        string[] verifier = ["AccessPassVerifier.cs", "AccessPassVerifierOptions.cs", "AccessPassResult.cs", "JwksKeySet.cs"];
        foreach (var file in verifier.Select(name => Path.Combine(folder, name)))
        {
            foreach (var line in File.ReadLines(file).Where(l => l.StartsWith("using ", StringComparison.Ordinal)))
            {
                Assert.True(line.StartsWith("using System", StringComparison.Ordinal), $"{Path.GetFileName(file)}: {line}");
            }
        }
    }
}
