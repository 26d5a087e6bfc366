using Microsoft.Extensions.DependencyInjection;
using Pipeline.Backbones;
using Pipeline.Images;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Service;

/// <summary><c>Pipeline:TrimMargins</c> reaches the backbones the service trains: on by default, off when set false.</summary>
[Trait("Kind", "Integration")]
public sealed class TrimMarginsSettingTests
{
    [Theory]
    [InlineData(null, ResizeMode.TrimAndPad)]
    [InlineData("false", ResizeMode.Pad)]
    public async Task The_setting_decides_how_the_services_resnet18_backbones_fit_an_image(string? setting, ResizeMode expected)
    {
        var settings = setting is null ? null : new Dictionary<string, string?> { ["Pipeline:TrimMargins"] = setting };
        await using var service = await InProcessService.StartAsync(RepositoryPaths.NewTempFolder("trim-setting"), settings);

        var catalog = service.Services.GetRequiredService<PipelineEnvironment>().Backbones.Catalog;

        Assert.Equal(expected, catalog.Get(BackboneCatalog.Resnet18).Resize);
        Assert.Equal(expected, catalog.Get(BackboneCatalog.Resnet18Spatial).Resize);
    }
}
