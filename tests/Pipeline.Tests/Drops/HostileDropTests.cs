using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Pipeline.Datasets.Intake;
using Pipeline.Storage;

namespace Pipeline.Tests.Drops;

/// <summary>
/// The bad-input corpus beyond the everyday one (WatchedFolderTests): inputs found by trying to break a running
/// service. Each drop must end (Ingested or Rejected) with a reason per bad entry, and no reason may show a server path.
/// </summary>
[Trait("Kind", "Integration")]
public class HostileDropTests
{
    [Fact]
    public async Task Zip_with_duplicate_names_a_file_where_a_folder_is_needed_and_an_overlong_name_rejects_those_entries_and_ends()
    {
        await using var service = await DropsService.StartAsync("drops-malformed-zip");
        string longName = "cat/" + new string('x', 300) + ".png";
        var zip = DropImages.Zip(new Dictionary<string, byte[]>
        {
            ["cat/a.png"] = DropImages.Png(1), ["dog/b.png"] = DropImages.Png(2), ["plants"] = DropImages.Png(3),
            ["plants/c.png"] = DropImages.Png(4), [longName] = DropImages.Png(5),
        }, more: archive =>
        {
            // ZipArchive allows the same name twice; so do other zip writers.
            foreach (var n in new[] { 6, 7 })
            {
                using var stream = archive.CreateEntry("dog/twice.png").Open();
                stream.Write(DropImages.Png(n));
            }
        });

        using var form = new MultipartFormDataContent { { Zip(zip), "file", "malformed.zip" } };
        using var response = await service.Client.PostAsync("/api/drops", form);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<DropRecord>(PipelineJson.Options))!.Id;
        var record = await service.FinishedByIdAsync(id);

        Assert.Equal(DropState.Ingested, record.State);
        Assert.Null(record.Error);
        Assert.Equal(new Dictionary<string, int> { ["cat"] = 1, ["dog"] = 1, ["plants"] = 1 }, record.Labels);
        var reasons = record.RejectedFiles.GroupBy(r => r.Path).ToDictionary(g => g.Key, g => g.Select(r => r.Reason).ToList());
        Assert.All(reasons["dog/twice.png"], r => Assert.Contains("2 entries named 'dog/twice.png'", r));
        Assert.Equal(2, reasons["dog/twice.png"].Count);
        Assert.Contains("share the name 'plants'", Assert.Single(reasons["plants"]));
        Assert.Contains("name too long", Assert.Single(reasons[longName]));
        AssertNoServerPaths(service, record);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(service.DataRoot, "intake", "payload")));
        Assert.True(File.Exists(Path.Combine(service.Quarantine(id), DropQuarantine.ReasonsFile)));
    }

    [Fact]
    public async Task Zip_entry_whose_header_understates_its_size_refuses_the_archive()
    {
        await using var service = await DropsService.StartAsync("drops-lying-zip");
        var zip = DropImages.Zip(new Dictionary<string, byte[]>
        {
            ["cat/a.png"] = DropImages.Png(1), ["dog/b.png"] = DropImages.Png(2), ["cat/big.png"] = new byte[4_000_000],
        });
        ClaimUncompressedSize(zip, "cat/big.png", 100);
        File.WriteAllBytes(Path.Combine(service.Drops, "lying.zip"), zip);

        var record = await service.FinishedAsync("lying.zip");

        Assert.Equal(DropState.Rejected, record.State);
        Assert.Contains("'cat/big.png' claims 100 bytes", record.Reason);
        Assert.Contains("header lies", record.Reason);
        Assert.Null(record.DatasetVersion);
    }

    [Fact]
    public async Task Symbolic_links_in_the_watched_folder_are_rejected_once_as_not_a_drop_and_never_followed()
    {
        await using var service = await DropsService.StartAsync("drops-symlinks");
        var elsewhere = Path.Combine(service.Root, "elsewhere");
        DropImages.Write(elsewhere, new Dictionary<string, byte[]> { ["cat/a.png"] = DropImages.Png(1), ["dog/b.png"] = DropImages.Png(2) });
        Directory.CreateSymbolicLink(Path.Combine(service.Drops, "linked-folder"), elsewhere);
        Directory.CreateSymbolicLink(Path.Combine(service.Drops, "root"), "/");
        File.CreateSymbolicLink(Path.Combine(service.Drops, "dangling.zip"), Path.Combine(service.Root, "no-such.zip"));

        foreach (var name in new[] { "linked-folder", "root", "dangling.zip" })
        {
            var record = await service.FinishedAsync(name);
            Assert.Equal(DropState.Rejected, record.State);
            Assert.Contains("symbolic link", record.Reason);
            Assert.Equal(DropOrigin.Other, record.Origin);
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(service.Drops));
        // Taken once each: by the time a later drop is through, no link has come back as a second record.
        service.Drop("after", new Dictionary<string, byte[]> { ["cat/a.png"] = DropImages.Png(1), ["dog/b.png"] = DropImages.Png(2) });
        await service.FinishedAsync("after");
        Assert.Equal(4, (await service.ListAsync()).Count);
        Assert.Equal(DropImages.Png(1), File.ReadAllBytes(Path.Combine(elsewhere, "cat", "a.png")));
        Assert.DoesNotContain("could not be taken", service.Service.Output);
    }

    [Fact]
    public async Task Hard_linked_file_in_a_drop_is_rejected_and_its_bytes_are_not_copied_to_quarantine()
    {
        await using var service = await DropsService.StartAsync("drops-hardlink");
        var secret = Path.Combine(service.Root, "secret.txt");
        File.WriteAllText(secret, "not for the drop's readers");
        var staging = Path.Combine(service.Drops, ".linked");
        DropImages.Write(staging, new Dictionary<string, byte[]> { ["cat/a.png"] = DropImages.Png(1), ["dog/b.png"] = DropImages.Png(2) });
        using (var ln = Process.Start("ln", [secret, Path.Combine(staging, "dog", "secret.jpg")])) await ln.WaitForExitAsync();
        Directory.Move(staging, Path.Combine(service.Drops, "linked"));

        var record = await service.FinishedAsync("linked");

        Assert.Equal(2, record.Accepted);
        var rejected = Assert.Single(record.RejectedFiles);
        Assert.Equal("dog/secret.jpg", rejected.Path);
        Assert.Contains("hard links", rejected.Reason);
        Assert.False(File.Exists(Path.Combine(service.Quarantine(record.Id), "dog", "secret.jpg")));
        Assert.True(File.Exists(Path.Combine(service.Quarantine(record.Id), "dog", "secret.jpg" + DropQuarantine.ReasonSuffix)));
    }

    [Fact]
    public async Task Label_names_differing_only_in_unicode_normalisation_are_one_label()
    {
        await using var service = await DropsService.StartAsync("drops-nfc");
        string composed = "caf\u00e9", decomposed = "cafe\u0301";
        service.Drop("cafes", new Dictionary<string, byte[]>
        {
            [$"{composed}/a.png"] = DropImages.Png(1), [$"{decomposed}/b.png"] = DropImages.Png(2), ["tea/c.png"] = DropImages.Png(3),
        });

        var record = await service.FinishedAsync("cafes");

        Assert.Equal(new Dictionary<string, int> { [composed] = 2, ["tea"] = 1 }, record.Labels);
    }

    [Fact]
    public async Task Drop_whose_only_new_label_is_too_small_to_train_says_why_training_waits()
    {
        await using var service = await DropsService.StartAsync("drops-small-label");
        service.Drop("cats", Enumerable.Range(1, 4).ToDictionary(i => $"cat/{i}.png", DropImages.Png));
        await service.FinishedAsync("cats");
        service.Drop("one-dog", new Dictionary<string, byte[]> { ["dog/1.png"] = DropImages.Png(10) });

        var record = await service.FinishedAsync("one-dog");

        Assert.Equal(DropState.Ingested, record.State);
        Assert.NotNull(record.DatasetVersion);
        Assert.StartsWith("training waits", record.Reason);
        Assert.Contains("at least 4 images", record.Reason);
    }

    private static ByteArrayContent Zip(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        return content;
    }

    /// <summary>Rewrites the uncompressed size of <paramref name="name"/> in its local header and central directory entry.</summary>
    private static void ClaimUncompressedSize(byte[] zip, string name, uint size)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        for (int i = 0; i + 46 < zip.Length; i++)
        {
            uint signature = BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i));
            if (signature == 0x04034b50 && zip.AsSpan(i + 30, nameBytes.Length).SequenceEqual(nameBytes))
                BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(i + 22), size);
            if (signature == 0x02014b50 && zip.AsSpan(i + 46, nameBytes.Length).SequenceEqual(nameBytes))
                BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(i + 24), size);
        }
    }

    private static void AssertNoServerPaths(DropsService service, DropRecord record)
    {
        var json = JsonSerializer.Serialize(record, PipelineJson.Options);
        Assert.DoesNotContain(service.Root, json);
        Assert.DoesNotContain("/tmp/", json);
    }
}
