namespace Ticketing.WaitingRoom.Tests.Infrastructure;

internal static class RepoPaths
{
    /// <summary>The folder holding Ticketing.sln, found by walking up from the test binaries.</summary>
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ticketing.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("Ticketing.sln not found above the test output.");
        }
    }

    public static string JsFolder => Path.Combine(Root, "tests", "WaitingRoom.Tests", "js");
}
