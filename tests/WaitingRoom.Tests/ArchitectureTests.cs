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
        var folder = Path.Combine(Infrastructure.RepoPaths.Root, "src", "Infrastructure", "AccessPasses");
        foreach (var file in Directory.GetFiles(folder, "*.cs"))
        {
            foreach (var line in File.ReadLines(file).Where(l => l.StartsWith("using ", StringComparison.Ordinal)))
            {
                Assert.True(line.StartsWith("using System", StringComparison.Ordinal), $"{Path.GetFileName(file)}: {line}");
            }
        }
    }
}
