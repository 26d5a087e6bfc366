using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Pipeline.Datasets.Intake;
using Pipeline.Storage;
using Pipeline.Tests.Drops;

namespace Pipeline.Tests.Service.Hardening;

/// <summary>
/// Drops that looked fine to the last round of checks but broke on a running service: labels that look like other
/// labels, zip names that lost entries silently, folders the watcher could never finish.
/// </summary>
[Trait("Kind", "Integration")]
public class DropHardeningTests
{
    [Fact]
    public async Task Upload_label_with_format_or_control_characters_or_invalid_utf8_gets_400_naming_the_character()
    {
        await using var service = await DropsService.StartAsync("hardening-upload-labels");
        var labels = new (string What, byte[] Utf8, string Expected)[]
        {
            ("right-to-left override", Encoding.UTF8.GetBytes("\u202egnp.tac"), "U+202E"),
            ("zero-width space", Encoding.UTF8.GetBytes("cat\u200b"), "U+200B"),
            ("bidi isolate", Encoding.UTF8.GetBytes("\u2066cat\u2069"), "U+2066"),
            ("tab", Encoding.UTF8.GetBytes("ca\tt"), "U+0009"),
            ("invalid UTF-8", [(byte)'c', 0xff, 0xfe, (byte)'t'], "not valid UTF-8"),
        };

        foreach (var (what, utf8, expected) in labels)
        {
            using var form = new MultipartFormDataContent();
            form.Add(new ByteArrayContent(utf8), "label");
            var image = new ByteArrayContent(DropImages.Png(1));
            image.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(image, "files", "a.png");
            using var response = await service.Client.PostAsync("/api/drops", form);
            string text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"label with {what}: {(int)response.StatusCode} {text}");
            Assert.Contains(expected, text);
        }

        Assert.Empty(await service.ListAsync());
    }

    [Fact]
    public async Task Folder_and_zip_labels_break_the_same_label_rule_and_their_files_are_rejected_with_the_reason()
    {
        await using var service = await DropsService.StartAsync("hardening-folder-labels");
        service.Drop("folder-labels", new Dictionary<string, byte[]>
        {
            ["cat/1.png"] = DropImages.Png(1), ["cat\u200b/2.png"] = DropImages.Png(2), ["\u202egnp.tac/3.png"] = DropImages.Png(3),
            ["tab\there/4.png"] = DropImages.Png(4),
        });
        // A folder name whose bytes are not UTF-8 can only be made below .NET, which always writes UTF-8.
        string staging = Path.Combine(service.Root, "invalid-utf8");
        Directory.CreateDirectory(Path.Combine(staging, "cat"));
        File.WriteAllBytes(Path.Combine(staging, "cat", "5.png"), DropImages.Png(5));
        await RunAsync("bash", "-c", "mkdir \"$1/$(printf 'c\\xff\\xfet')\" && cp \"$1/cat/5.png\" \"$1/$(printf 'c\\xff\\xfet')/6.png\"", "_", staging);
        Directory.Move(staging, Path.Combine(service.Drops, "invalid-utf8"));
        File.WriteAllBytes(Path.Combine(service.Drops, "zip-labels.zip"), DropImages.Zip(new Dictionary<string, byte[]>
        {
            ["dog/7.png"] = DropImages.Png(7), ["ca\nt/8.png"] = DropImages.Png(8), ["d\u0001g/9.png"] = DropImages.Png(9),
            ["tab\there/10.png"] = DropImages.Png(10), [" /11.png"] = DropImages.Png(11),
        }));

        var folder = await service.FinishedAsync("folder-labels");
        var invalid = await service.FinishedAsync("invalid-utf8");
        var zip = await service.FinishedAsync("zip-labels.zip");

        Assert.Equal(new Dictionary<string, int> { ["cat"] = 1 }, folder.Labels);
        Assert.Equal(new Dictionary<string, int> { ["cat"] = 1 }, invalid.Labels);
        Assert.Equal(new Dictionary<string, int> { ["dog"] = 1 }, zip.Labels);
        // A folder whose name is not UTF-8 cannot be opened by the name .NET reads for it, so it is listed whole.
        Assert.Contains("not valid UTF-8", Assert.Single(invalid.RejectedFiles).Reason);
        var reasons = folder.RejectedFiles.Concat(zip.RejectedFiles).ToDictionary(r => Path.GetFileName(r.Path), r => r.Reason);
        Assert.Contains("U+200B", reasons["2.png"]);
        Assert.Contains("U+202E", reasons["3.png"]);
        Assert.Contains("U+0009", reasons["4.png"]);
        Assert.Contains("U+000A", reasons["8.png"]);
        Assert.Contains("U+0001", reasons["9.png"]);
        Assert.Contains("U+0009", reasons["10.png"]);
        Assert.Contains("white space", reasons["11.png"]);
        Assert.All(reasons.Values, r => Assert.StartsWith("the label folder", r));
    }

    [Fact]
    public async Task Zip_entry_names_are_normalised_and_every_entry_is_either_accepted_or_listed_with_its_reason()
    {
        await using var service = await DropsService.StartAsync("hardening-zip-names");
        var zip = DropImages.Zip(new Dictionary<string, byte[]>
        {
            ["./cat/1.png"] = DropImages.Png(1), // bsdtar, zip -r .
            ["cat/2.png"] = DropImages.Png(2), ["cat//2.png"] = DropImages.Png(3), // one name, two entries
            ["dog/4\0.png"] = DropImages.Png(4), ["dog/5.png"] = DropImages.Png(5),
            ["a:b/6.png"] = DropImages.Png(6), // a label with a colon, not a drive letter
        }, more: archive =>
        {
            // bzip2 (method 12), which .NET cannot decompress; its sizes follow bzip2's rules, not deflate's.
            using var stream = archive.CreateEntry("bz/7.png", CompressionLevel.NoCompression).Open();
            stream.Write(DropImages.Png(7));
        });
        SetMethodAndClaimedSize(zip, "bz/7.png", method: 12, uncompressed: 40);
        File.WriteAllBytes(Path.Combine(service.Drops, "names.zip"), zip);

        var record = await service.FinishedAsync("names.zip");

        Assert.True(record.State == DropState.Ingested, $"{record.State}: {record.Reason}");
        Assert.Equal(new Dictionary<string, int> { ["a:b"] = 1, ["cat"] = 1, ["dog"] = 1 }, record.Labels);
        var reasons = record.RejectedFiles.ToDictionary(r => r.Path, r => r.Reason);
        Assert.Equal(["bz/7.png", "cat//2.png", "cat/2.png", "dog/4\0.png"], reasons.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("2 entries named 'cat/2.png'", reasons["cat/2.png"]);
        Assert.Contains("2 entries named 'cat/2.png'", reasons["cat//2.png"]);
        Assert.Contains("NUL", reasons["dog/4\0.png"]);
        Assert.StartsWith("unsupported compression", reasons["bz/7.png"]);
    }

    [Fact]
    public async Task Label_folder_linked_to_the_root_is_rejected_and_the_drop_is_taken_once()
    {
        await using var service = await DropsService.StartAsync("hardening-root-label");
        var staging = Path.Combine(service.Drops, ".rootlabel");
        DropImages.Write(staging, new Dictionary<string, byte[]> { ["dog/1.png"] = DropImages.Png(1) });
        Directory.CreateSymbolicLink(Path.Combine(staging, "cat"), "/");
        Directory.Move(staging, Path.Combine(service.Drops, "rootlabel"));

        var record = await service.FinishedAsync("rootlabel");

        Assert.True(record.State == DropState.Ingested, $"{record.State}: {record.Reason}");
        Assert.Equal(new Dictionary<string, int> { ["dog"] = 1 }, record.Labels);
        Assert.Contains("symbolic link", Assert.Single(record.RejectedFiles, r => r.Path == "cat").Reason);
        Assert.Single(await service.ListAsync());
    }

    [Fact]
    public async Task Path_longer_than_the_system_allows_inside_a_drop_rejects_that_folder_and_the_drop_ends()
    {
        await using var service = await DropsService.StartAsync("hardening-deep-path");
        var staging = Path.Combine(service.Drops, ".deep");
        DropImages.Write(staging, new Dictionary<string, byte[]> { ["dog/1.png"] = DropImages.Png(1), ["cat/2.png"] = DropImages.Png(2) });
        // 20 folders of 240 characters: the full path passes 4096 bytes (PATH_MAX), which only relative steps reach.
        string segment = new('n', 240);
        await RunAsync("bash", "-c", "cd \"$1\" && for i in $(seq 20); do mkdir \"$2\" && cd \"$2\"; done && cp \"$1/dog/1.png\" deep.png",
            "_", staging, segment);
        Directory.Move(staging, Path.Combine(service.Drops, "deep"));

        var record = await service.FinishedAsync("deep");

        Assert.True(record.State == DropState.Ingested, $"{record.State}: {record.Reason}");
        Assert.Equal(new Dictionary<string, int> { ["cat"] = 1, ["dog"] = 1 }, record.Labels);
        Assert.Contains(record.RejectedFiles, r => r.Path.StartsWith(segment + "/", StringComparison.Ordinal));
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true })!;
        string error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} failed: {error}");
    }

    /// <summary>Rewrites an entry's compression method and uncompressed size in its local header and central directory entry.</summary>
    private static void SetMethodAndClaimedSize(byte[] zip, string name, ushort method, uint uncompressed)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        for (int i = 0; i + 46 < zip.Length; i++)
        {
            uint signature = BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i));
            if (signature == 0x04034b50 && zip.AsSpan(i + 30, nameBytes.Length).SequenceEqual(nameBytes))
            {
                BinaryPrimitives.WriteUInt16LittleEndian(zip.AsSpan(i + 8), method);
                BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(i + 22), uncompressed);
            }

            if (signature == 0x02014b50 && zip.AsSpan(i + 46, nameBytes.Length).SequenceEqual(nameBytes))
            {
                BinaryPrimitives.WriteUInt16LittleEndian(zip.AsSpan(i + 10), method);
                BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(i + 24), uncompressed);
            }
        }
    }
}
