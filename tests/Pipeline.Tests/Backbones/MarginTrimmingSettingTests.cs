using Microsoft.Extensions.Configuration;
using Pipeline.Backbones;
using Pipeline.Service.Hosting;

namespace Pipeline.Tests.Backbones;

/// <summary>
/// <c>--trim-margins</c> and <c>Pipeline:TrimMargins</c> read a <see cref="MarginTrimming"/> by name, and still read the
/// boolean they were before the white-only rule got a name.
/// </summary>
[Trait("Kind", "Unit")]
public sealed class MarginTrimmingSettingTests
{
    [Theory]
    [InlineData("paper", MarginTrimming.Paper)]
    [InlineData("Border", MarginTrimming.Border)]
    [InlineData("white", MarginTrimming.White)]
    [InlineData(" OFF ", MarginTrimming.Off)]
    [InlineData("true", MarginTrimming.Paper)]
    [InlineData("False", MarginTrimming.Off)]
    public void A_name_or_a_boolean_reads(string text, MarginTrimming expected) =>
        Assert.Equal(expected, MarginTrimmingConverter.Parse(text));

    [Theory]
    [InlineData("grey")]
    [InlineData("1")]
    [InlineData("")]
    public void Anything_else_is_refused_with_the_choices(string text)
    {
        var error = Assert.Throws<FormatException>(() => MarginTrimmingConverter.Parse(text));
        Assert.Contains("Paper, Border, White or Off", error.Message);
    }

    [Theory]
    [InlineData("White", MarginTrimming.White)]
    [InlineData("Border", MarginTrimming.Border)]
    [InlineData("false", MarginTrimming.Off)]
    public void The_service_setting_binds_from_configuration(string value, MarginTrimming expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [nameof(PipelineOptions.TrimMargins)] = value })
            .Build();

        Assert.Equal(expected, configuration.Get<PipelineOptions>()!.TrimMargins);
    }
}
