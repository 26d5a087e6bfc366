using Microsoft.Extensions.DependencyInjection;
using Pipeline.Backbones;
using Pipeline.Images;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Service;

/// <summary>
/// <c>Pipeline:TrimMargins</c> reaches the backbones the service trains. Its default (on) is what every other service
/// test runs with; one host start here checks that <c>false</c> turns it off.
/// </summary>
[Trait("Kind", "Integration")]
public sealed class TrimMarginsSettingTests
{
    [Fact]
    public async Task Set_false_the_services_resnet18_backbones_letterbox_the_whole_image()
    {
        Assert.Equal(ResizeMode.TrimPaperAndPad, BackboneCatalog.BuiltIn.Single(d => d.Name == BackboneCatalog.Resnet18).Resize);
        await using var service = await InProcessService.StartAsync(RepositoryPaths.NewTempFolder("trim-setting"),
            new Dictionary<string, string?> { ["Pipeline:TrimMargins"] = "false" });

        var catalog = service.Services.GetRequiredService<PipelineEnvironment>().Backbones.Catalog;

        Assert.Equal(ResizeMode.Pad, catalog.Get(BackboneCatalog.Resnet18).Resize);
        Assert.Equal(ResizeMode.Pad, catalog.Get(BackboneCatalog.Resnet18Spatial).Resize);
    }
}
