namespace Ticketing.Architecture.Tests;

/// <summary>
/// The dependency rule (DESIGN.md): Domain ← Application ← Infrastructure ← WebApi, and the WaitingRoom apart.
/// Every <c>src/*/*.csproj</c> found on disk is checked against <see cref="LayerRules"/>, both in its csproj and in
/// its compiled assembly, so a project added later (the WaitingRoom) is covered without a new test.
/// </summary>
public sealed class DependencyRuleTests
{
    public static TheoryData<string> SourceProjects()
    {
        var data = new TheoryData<string>();
        foreach (var project in RepositoryLayout.SourceProjects())
        {
            data.Add(project);
        }

        return data;
    }

    [Fact]
    public void The_four_booking_layers_are_found_on_disk()
    {
        var folders = RepositoryLayout.SourceProjects().Select(p => p.Split('/')[0]).ToHashSet(StringComparer.Ordinal);
        string[] required = ["Domain", "Application", "Infrastructure", "WebApi"];

        Assert.True(required.All(folders.Contains), $"Found {string.Join(", ", folders)}; expected at least {string.Join(", ", required)}.");
    }

    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void Every_source_project_has_a_layer_rule(string project)
    {
        var folder = project.Split('/')[0];

        Assert.True(LayerRules.ByFolder.ContainsKey(folder), $"src/{project} is in folder '{folder}', which has no row in LayerRules; add one.");
    }

    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void Project_references_follow_the_dependency_rule(string project)
    {
        var rule = RuleOf(project);

        var violations = RepositoryLayout.ProjectReferences(project)
            .Select(reference => (Reference: reference, Folder: RepositoryLayout.FolderOf(reference)))
            .Where(r => r.Folder is not null && rule.Forbidden.Contains(r.Folder))
            .Select(r => Path.GetRelativePath(RepositoryLayout.SourceDirectory, r.Reference))
            .ToList();

        Assert.True(violations.Count == 0, $"src/{project} references {string.Join(", ", violations)}, which its layer must not.");
    }

    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void Compiled_assembly_references_follow_the_dependency_rule(string project)
    {
        var rule = RuleOf(project);
        var assembly = RepositoryLayout.LoadCompiled(project);

        var violations = assembly.GetReferencedAssemblies()
            .Select(a => a.Name ?? string.Empty)
            .Where(name => LayerRules.LayerOfAssembly(name) is { } layer && rule.Forbidden.Contains(layer))
            .ToList();

        Assert.True(violations.Count == 0, $"{assembly.GetName().Name} references {string.Join(", ", violations)}, which its layer must not.");
    }

    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void Projects_of_a_layer_without_packages_reference_no_package(string project)
    {
        var rule = RuleOf(project);
        if (rule.AllowsPackages)
        {
            return;
        }

        Assert.Empty(RepositoryLayout.PackageReferences(project));
        var assembly = RepositoryLayout.LoadCompiled(project);
        var nonFramework = assembly.GetReferencedAssemblies()
            .Select(a => a.Name ?? string.Empty)
            .Where(name => !IsFrameworkAssembly(name))
            .ToList();
        Assert.True(nonFramework.Count == 0, $"{assembly.GetName().Name} references {string.Join(", ", nonFramework)}; this layer uses the base library only.");
    }

    [Fact]
    public void Domain_references_nothing_of_ours_and_only_the_base_library()
    {
        var references = RepositoryLayout.LoadCompiled("Domain/Domain.csproj").GetReferencedAssemblies().Select(a => a.Name ?? string.Empty).ToList();

        Assert.DoesNotContain(references, name => name.StartsWith("Ticketing.", StringComparison.Ordinal));
        Assert.All(references, name => Assert.True(IsFrameworkAssembly(name), name));
        Assert.Empty(RepositoryLayout.ProjectReferences("Domain/Domain.csproj"));
    }

    [Fact]
    public void Application_references_only_the_domain_of_ours()
    {
        var ours = OurReferences("Application/Application.csproj");

        Assert.Equal(["Ticketing.Domain"], ours);
    }

    [Fact]
    public void Infrastructure_references_application_and_domain_but_not_the_web_api()
    {
        var ours = OurReferences("Infrastructure/Infrastructure.csproj");

        Assert.Contains("Ticketing.Application", ours);
        Assert.DoesNotContain("Ticketing.WebApi", ours);
        Assert.All(ours, name => Assert.Contains(name, new[] { "Ticketing.Application", "Ticketing.Domain" }));
    }

    [Fact]
    public void WebApi_composes_every_booking_layer()
    {
        var ours = OurReferences("WebApi/WebApi.csproj");

        Assert.Contains("Ticketing.Application", ours);
        Assert.Contains("Ticketing.Infrastructure", ours);
    }

    [Fact]
    public void The_rule_table_itself_detects_a_forbidden_reference()
    {
        // Guards the checker: were the table or the name mapping wrong, every theory above would pass vacuously.
        Assert.Equal(LayerRules.WebApi, LayerRules.LayerOfAssembly("Ticketing.WebApi"));
        Assert.Equal(LayerRules.WaitingRoom, LayerRules.LayerOfAssembly("Ticketing.WaitingRoom.Core"));
        Assert.Null(LayerRules.LayerOfAssembly("Ticketing.WebApiX"));
        Assert.Contains(LayerRules.Application, LayerRules.ByFolder[LayerRules.Domain].Forbidden);
        Assert.Contains(LayerRules.Domain, LayerRules.ByFolder[LayerRules.WaitingRoom].Forbidden);
        Assert.Contains(LayerRules.WebApi, LayerRules.ByFolder[LayerRules.Infrastructure].Forbidden);
    }

    private static LayerRule RuleOf(string project)
    {
        var folder = project.Split('/')[0];
        Assert.True(LayerRules.ByFolder.TryGetValue(folder, out var rule), $"No layer rule for src/{project}.");
        return rule;
    }

    private static List<string> OurReferences(string project) =>
        RepositoryLayout.LoadCompiled(project).GetReferencedAssemblies()
            .Select(a => a.Name ?? string.Empty)
            .Where(name => name.StartsWith("Ticketing.", StringComparison.Ordinal))
            .OrderBy(name => name, StringComparer.Ordinal)
            .ToList();

    private static bool IsFrameworkAssembly(string name) =>
        name is "netstandard" or "mscorlib" || name == "System" || name.StartsWith("System.", StringComparison.Ordinal);
}
