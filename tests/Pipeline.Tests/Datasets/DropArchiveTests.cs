using System.Buffers.Binary;
using System.IO.Compression;
using Pipeline.Datasets.Intake;
using Pipeline.Tests.Drops;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Datasets;

[Trait("Kind", "Unit")]
public class DropArchiveTests
{
    private readonly string _root = RepositoryPaths.NewTempFolder("drop-archive");

    private string WriteZip(byte[] zip)
    {
        var path = Path.Combine(_root, "drop.zip");
        File.WriteAllBytes(path, zip);
        return path;
    }

    [Fact]
    public async Task Entries_that_would_land_outside_the_drop_are_skipped_with_reasons_and_nothing_is_written_outside()
    {
        var zip = WriteZip(DropImages.Zip(new Dictionary<string, byte[]>
        {
            ["cat/a.png"] = DropImages.Png(1),
            ["../escape.png"] = DropImages.Png(2),
            ["cat/../../up.png"] = DropImages.Png(3),
            ["/tmp/absolute.png"] = DropImages.Png(4),
            ["C:/windows.png"] = DropImages.Png(5),
        }, zipArchive =>
        {
            var link = zipArchive.CreateEntry("cat/link.png");
            link.ExternalAttributes = unchecked((int)(0xA1FFu << 16));
            using var target = link.Open();
            target.Write("/etc/passwd"u8);
        }));
        var destination = Path.Combine(_root, "work", "extracted");

        var extraction = await DropArchive.ExtractAsync(zip, destination, ArchiveLimits.Default);

        Assert.False(extraction.IsRefused);
        Assert.Equal(["cat/a.png"], Directory.EnumerateFiles(destination, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(destination, f).Replace('\\', '/')));
        Assert.Equal(5, extraction.Skipped.Count);
        Assert.All(extraction.Skipped, s => Assert.Matches("unsafe path|symbolic link", s.Reason));
        Assert.False(File.Exists(Path.Combine(_root, "work", "escape.png")));
        Assert.False(File.Exists(Path.Combine(_root, "up.png")));
        Assert.False(File.Exists("/tmp/absolute.png"));
    }

    [Fact]
    public async Task Archive_expanding_beyond_the_limit_is_refused_and_leaves_nothing_extracted()
    {
        var zip = WriteZip(DropImages.Zip(new Dictionary<string, byte[]> { ["cat/zeros.png"] = new byte[5_000_000] }));
        var destination = Path.Combine(_root, "extracted");

        var extraction = await DropArchive.ExtractAsync(zip, destination, new ArchiveLimits { MaxTotalBytes = 1_000_000 });

        Assert.True(extraction.IsRefused);
        Assert.Contains("zip bomb", extraction.Refusal);
        Assert.False(Directory.Exists(destination));
    }

    [Fact]
    public async Task Header_that_understates_the_size_cannot_expand_past_the_limit()
    {
        var bytes = DropImages.Zip(new Dictionary<string, byte[]> { ["cat/zeros.png"] = new byte[5_000_000] });
        // Claim 100 bytes uncompressed in both the local header (offset 22) and the central directory (offset 24).
        PatchUInt32(bytes, 0x04034b50, 22, 100);
        PatchUInt32(bytes, 0x02014b50, 24, 100);
        var destination = Path.Combine(_root, "extracted");

        var extraction = await DropArchive.ExtractAsync(WriteZip(bytes), destination, new ArchiveLimits { MaxTotalBytes = 1_000_000 });

        // .NET stops an entry's stream near the size its header claims; whichever stops first, the bytes really
        // written stay within the limit, and a refused archive leaves nothing behind.
        long written = Directory.Exists(destination)
            ? Directory.EnumerateFiles(destination, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length)
            : 0;
        Assert.True(extraction.IsRefused || written <= 1_000_000, $"{written} bytes were extracted");
        Assert.True(written < 5_000_000);
    }

    [Fact]
    public async Task Entry_that_the_fastest_deflate_made_larger_than_itself_is_extracted_not_refused_as_lying()
    {
        // Incompressible bytes, as in a PNG: zlib-ng's fastest level codes each with up to 9 bits.
        var noise = new byte[64 * 1024];
        new Random(7).NextBytes(noise);
        var zip = WriteZip(DropImages.Zip(new Dictionary<string, byte[]> { ["cat/noise.png"] = noise }));
        using (var archive = ZipFile.OpenRead(zip))
            Assert.True(archive.Entries[0].CompressedLength > noise.Length, "the premise: the entry's deflate stream is larger than the entry");

        var destination = Path.Combine(_root, "noise");
        var extraction = await DropArchive.ExtractAsync(zip, destination, new ArchiveLimits());

        Assert.False(extraction.IsRefused, extraction.Refusal);
        Assert.Equal(noise, await File.ReadAllBytesAsync(Path.Combine(extraction.Root, "cat", "noise.png")));
    }

    [Fact]
    public async Task Too_many_entries_are_refused_before_extracting()
    {
        var entries = Enumerable.Range(0, 20).ToDictionary(i => $"cat/{i}.png", DropImages.Png);
        var extraction = await DropArchive.ExtractAsync(WriteZip(DropImages.Zip(entries)), Path.Combine(_root, "x"),
            new ArchiveLimits { MaxEntries = 10 });

        Assert.True(extraction.IsRefused);
        Assert.Contains("20 entries", extraction.Refusal);
    }

    [Fact]
    public async Task Single_top_folder_holding_label_folders_is_unwrapped()
    {
        var zip = WriteZip(DropImages.Zip(new Dictionary<string, byte[]>
        {
            ["photos/cat/a.png"] = DropImages.Png(1),
            ["photos/dog/b.png"] = DropImages.Png(2),
            ["__MACOSX/photos/cat/._a.png"] = [0, 1, 2],
        }));
        var destination = Path.Combine(_root, "extracted");

        var extraction = await DropArchive.ExtractAsync(zip, destination, ArchiveLimits.Default);

        Assert.Equal(Path.Combine(destination, "photos"), extraction.Root);
        Assert.Empty(extraction.Skipped);
    }

    [Fact]
    public async Task Single_top_folder_holding_images_is_one_label()
    {
        var zip = WriteZip(DropImages.Zip(new Dictionary<string, byte[]> { ["cat/a.png"] = DropImages.Png(1) }));
        var destination = Path.Combine(_root, "extracted");

        var extraction = await DropArchive.ExtractAsync(zip, destination, ArchiveLimits.Default);

        Assert.Equal(Path.GetFullPath(destination), extraction.Root);
    }

    private static void PatchUInt32(byte[] zip, uint signature, int offset, uint value)
    {
        for (int i = 0; i + 4 <= zip.Length; i++)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i)) != signature) continue;
            BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(i + offset), value);
            return;
        }

        throw new InvalidOperationException($"Signature {signature:x8} not found.");
    }
}
