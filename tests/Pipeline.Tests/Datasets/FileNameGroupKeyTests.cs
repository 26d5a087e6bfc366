using Pipeline.Datasets;

namespace Pipeline.Tests.Datasets;

/// <summary><c>train --group-by</c>: the design group of an image from its file name.</summary>
[Trait("Kind", "Unit")]
public sealed class FileNameGroupKeyTests
{
    [Theory]
    [InlineData("before:-", "/sets/emoji/train/smileys/google-1f600.png", "google")]
    [InlineData("before:-", "/sets/emoji/train/smileys/plain.png", "plain")]
    [InlineData("before:.", "/sets/cards/train/heart_1/anglo.png", "anglo")]
    [InlineData("prefix:3", "/data/cat/abc123.jpg", "abc")]
    [InlineData("prefix:10", "/data/cat/ab.jpg", "ab")]
    public void The_key_reads_the_group_from_the_file_name_only(string spec, string path, string group) =>
        Assert.Equal(group, FileNameGroupKey.Parse(spec).GroupOf(path));

    [Fact]
    public void Apply_sets_each_image_group_and_keeps_everything_else()
    {
        var image = new LabelledImage("/d/cat/deck1-7.png", "cat", new string('a', 64), 8, 8, "png");

        var grouped = FileNameGroupKey.Parse("before:-").Apply([image]).Single();

        Assert.Equal(image with { Group = "deck1" }, grouped);
    }

    [Theory]
    [InlineData("")]
    [InlineData("prefix")]
    [InlineData("prefix:0")]
    [InlineData("prefix:x")]
    [InlineData("before:")]
    [InlineData("before:ab")]
    [InlineData("folder")]
    public void A_malformed_key_is_refused_with_the_accepted_forms(string spec)
    {
        var error = Assert.Throws<PipelineException>(() => FileNameGroupKey.Parse(spec));
        Assert.Contains("prefix:N", error.Message);
        Assert.Contains($"'{spec}'", error.Message);
    }
}
