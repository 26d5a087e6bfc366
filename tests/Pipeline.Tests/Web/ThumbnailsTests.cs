using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Datasets;
using Pipeline.Datasets.Store;
using Pipeline.Service.Datasets;
using Pipeline.Service.Hosting;
using Pipeline.Tests.Support;
using SkiaSharp;

namespace Pipeline.Tests.Web;

[Trait("Kind", "Unit")]
public sealed class ThumbnailsTests
{
    [Fact]
    public async Task A_20000_pixel_wide_image_gets_a_small_cached_thumbnail_and_an_unknown_hash_gets_none()
    {
        var root = RepositoryPaths.NewTempFolder("thumbnails");
        var paths = new PipelinePaths(root);
        var store = new DatasetStore(paths.Datasets);
        // A real PNG, 20,000 x 400 pixels: a red band on white, so the thumbnail has content to keep.
        var original = Path.Combine(root, "wide.png");
        using (var bitmap = new SKBitmap(20_000, 400))
        {
            using (var canvas = new SKCanvas(bitmap))
            {
                canvas.Clear(SKColors.White);
                canvas.DrawRect(0, 100, 20_000, 200, new SKPaint { Color = SKColors.Red });
            }

            await using var file = File.Create(original);
            bitmap.Encode(file, SKEncodedImageFormat.Png, 100);
        }

        var sha = await ContentHash.Sha256HexOfFileAsync(original);
        await store.StoreImageAsync(new LabelledImage(original, "wide", sha, 20_000, 400, "png"));
        var thumbnails = new Thumbnails(store, paths, NullLogger<Thumbnails>.Instance);

        var made = await thumbnails.GetAsync(sha, CancellationToken.None);

        Assert.NotNull(made);
        using (var thumbnail = SKBitmap.Decode(made))
        {
            Assert.Equal((Thumbnails.Side, Thumbnails.Side), (thumbnail.Width, thumbnail.Height));
            // Letterboxed, not stretched: the red band shows near the middle row, the corners are the white background.
            var middle = Enumerable.Range(Thumbnails.Side / 2 - 4, 8).Select(y => thumbnail.GetPixel(Thumbnails.Side / 2, y)).ToList();
            Assert.Contains(middle, p => p.Red > 150 && p.Green < 200 && p.Red > p.Green + 40);
            Assert.Equal(SKColors.White, thumbnail.GetPixel(0, 0));
        }

        var written = File.GetLastWriteTimeUtc(made);
        Assert.Equal(made, await thumbnails.GetAsync(sha, CancellationToken.None));
        Assert.Equal(written, File.GetLastWriteTimeUtc(made));
        Assert.Null(await thumbnails.GetAsync(new string('0', 64), CancellationToken.None));
        Assert.Null(await thumbnails.GetAsync("../../etc/passwd", CancellationToken.None));
    }
}
