using System.Reflection;
using System.Xml.Linq;

namespace Ticketing.Architecture.Tests;

/// <summary>Finds the repository by walking up to <c>Ticketing.sln</c>, and reads the projects under <c>src</c>.</summary>
internal static class RepositoryLayout
{
    private static readonly Lazy<DirectoryInfo> Root = new(FindRoot);

    public static DirectoryInfo RootDirectory => Root.Value;

    public static string SourceDirectory => Path.Combine(RootDirectory.FullName, "src");

    /// <summary>Every <c>src/*/*.csproj</c> on disk, as paths relative to <c>src</c> with forward slashes.</summary>
    public static IEnumerable<string> SourceProjects() =>
        Directory.EnumerateDirectories(SourceDirectory)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*.csproj", SearchOption.TopDirectoryOnly))
            .Select(path => Path.GetRelativePath(SourceDirectory, path).Replace('\\', '/'))
            .OrderBy(path => path, StringComparer.Ordinal);

    /// <summary>The top-level folder under <c>src</c> that holds a file (<c>Domain/Domain.csproj</c> → Domain).</summary>
    public static string? FolderOf(string fullPath)
    {
        var relative = Path.GetRelativePath(SourceDirectory, fullPath).Replace('\\', '/');
        return relative.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relative)
            ? null
            : relative.Split('/')[0];
    }

    public static XDocument LoadProject(string relativePath) =>
        XDocument.Load(Path.Combine(SourceDirectory, relativePath));

    /// <summary>The project references of a csproj, as full paths.</summary>
    public static IReadOnlyList<string> ProjectReferences(string relativePath)
    {
        var projectDirectory = Path.GetDirectoryName(Path.Combine(SourceDirectory, relativePath))!;
        return LoadProject(relativePath).Descendants()
            .Where(e => e.Name.LocalName == "ProjectReference")
            .Select(e => (string?)e.Attribute("Include"))
            .OfType<string>()
            .Select(include => Path.GetFullPath(Path.Combine(projectDirectory, include.Replace('\\', '/'))))
            .ToList();
    }

    public static IReadOnlyList<string> PackageReferences(string relativePath) =>
        LoadProject(relativePath).Descendants()
            .Where(e => e.Name.LocalName == "PackageReference")
            .Select(e => (string?)e.Attribute("Include") ?? (string?)e.Attribute("Update") ?? "?")
            .ToList();

    public static string AssemblyNameOf(string relativePath) =>
        LoadProject(relativePath).Descendants().FirstOrDefault(e => e.Name.LocalName == "AssemblyName")?.Value.Trim()
        ?? Path.GetFileNameWithoutExtension(relativePath);

    /// <summary>
    /// The compiled assembly of a project: the copy next to these tests when this project references it, else the
    /// project's own build output for the same configuration and framework as these tests.
    /// </summary>
    public static Assembly LoadCompiled(string relativePath)
    {
        var name = AssemblyNameOf(relativePath);
        var beside = Path.Combine(AppContext.BaseDirectory, name + ".dll");
        if (File.Exists(beside))
        {
            return Assembly.Load(new AssemblyName(name));
        }

        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = framework.Parent!.Name;
        var projectDirectory = Path.GetDirectoryName(Path.Combine(SourceDirectory, relativePath))!;
        var built = Path.Combine(projectDirectory, "bin", configuration, framework.Name, name + ".dll");
        Assert.True(File.Exists(built), $"{relativePath} has no compiled assembly at {Path.GetRelativePath(RootDirectory.FullName, built)}; build the solution first.");
        return Assembly.LoadFrom(built);
    }

    private static DirectoryInfo FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ticketing.sln")))
            {
                return dir;
            }
        }

        throw new InvalidOperationException("Ticketing.sln was not found above " + AppContext.BaseDirectory);
    }
}
