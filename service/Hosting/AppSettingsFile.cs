using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace Pipeline.Service.Hosting;

/// <summary>
/// Loads the <c>appsettings.json</c> shipped next to the executable. The content root is the folder the service was
/// started from (so that <c>data/</c> lands there), which is not where the file is; without this the documented
/// defaults would silently not apply. It goes first, so environment variables and arguments still override it.
/// </summary>
public static class AppSettingsFile
{
    public static void AddShippedAppSettings(this ConfigurationManager configuration, string environmentName)
    {
        var folder = AppContext.BaseDirectory;
        JsonConfigurationSource Source(string name) => new()
        {
            Path = name, Optional = true, ReloadOnChange = false, FileProvider = new PhysicalFileProvider(folder),
        };

        configuration.Sources.Insert(0, Source($"appsettings.{environmentName}.json"));
        configuration.Sources.Insert(0, Source("appsettings.json"));
    }
}
