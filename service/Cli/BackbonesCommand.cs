using System.CommandLine;

namespace Pipeline.Service.Cli;

/// <summary><c>backbones list</c> and <c>backbones prepare [NAMES]</c>.</summary>
internal static class BackbonesCommand
{
    public static Command Create(Option<string> dataRoot)
    {
        var list = new Command("list", "Show every architecture, where it comes from and whether it is prepared");
        list.SetAction(parse => CliErrors.GuardAsync(() =>
        {
            var environment = PipelineEnvironment.Create(parse.GetValue(dataRoot)!);
            foreach (var d in environment.Backbones.Catalog.All)
            {
                var prepared = environment.Backbones.TryFind(d.Name, d.DefaultTaps);
                var state = prepared is null ? "not prepared" : $"ready ({prepared.Descriptor.FeatureLength} features)";
                Console.WriteLine($"{d.Name,-16} {d.Source,-13} {(d.WorksOffline ? d.InDefaultSet ? "default" : "offline" : "download"),-9} {state,-26} {d.Description}");
            }

            return Task.FromResult(0);
        }));

        var names = new Argument<string[]>("names") { Description = "Architectures (default: the offline default set)", Arity = ArgumentArity.ZeroOrMore };
        var prepare = new Command("prepare", "Fetch or convert backbones into the data root") { names };
        prepare.SetAction(async (parse, ct) => await CliErrors.GuardAsync(async () =>
        {
            var environment = PipelineEnvironment.Create(parse.GetValue(dataRoot)!);
            var chosen = parse.GetValue(names) is { Length: > 0 } given ? given : environment.Backbones.Catalog.OfflineDefaults.ToArray();
            foreach (var name in chosen)
            {
                var backbone = await ConsoleProgress.RunAsync(p => environment.Backbones.PrepareAsync(name, null, p, ct));
                Console.WriteLine($"{name}: {backbone.Descriptor.FeatureLength} features, sha256 {backbone.Descriptor.Sha256}");
            }

            return 0;
        }));

        return new Command("backbones", "Show and prepare pretrained backbones") { list, prepare };
    }
}
