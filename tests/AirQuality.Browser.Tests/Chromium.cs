using Microsoft.Playwright;

namespace AirQuality.Browser.Tests;

/// <summary>
/// Debian's Chromium (scripts/install-test-deps.sh installs it) started by Playwright in a new, empty
/// profile. No browser is ever downloaded. The flags keep it from contacting anything on its own
/// (component updates, sync, safe browsing, QUIC probes), so every request the test sees is the page's.
/// </summary>
internal static class Chromium
{
    /// <summary>AIRQ_CHROMIUM names another Chromium binary; the default is Debian's.</summary>
    public static string ExecutablePath => Environment.GetEnvironmentVariable("AIRQ_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private static readonly string[] Flags =
    [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];

    /// <summary>A browser context in a fresh profile directory, which is deleted when the result is disposed.</summary>
    public static async Task<Session> LaunchAsync(ViewportSize viewport)
    {
        var executable = ExecutablePath;
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException(
                $"Chromium was not found at {executable}. Run scripts/install-test-deps.sh (it installs Debian's chromium package), "
                + "or set AIRQ_CHROMIUM to a Chromium binary. The browser test never downloads a browser.");
        }

        var profile = Directory.CreateTempSubdirectory("airq-chromium-profile-").FullName;
        IPlaywright? playwright = null;
        try
        {
            playwright = await Playwright.CreateAsync();
            var context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = executable,
                Headless = true,
                Args = Flags,
                ViewportSize = viewport,
                Locale = "en-GB",
                TimezoneId = "UTC",
                ServiceWorkers = ServiceWorkerPolicy.Block,
                Timeout = 60_000,
            });
            return new Session(playwright, context, profile);
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            playwright?.Dispose();
            TempDirectory.Delete(profile);
            throw new InvalidOperationException(
                $"Chromium at {executable} could not be started by Playwright: {e.Message}. "
                + "Check that `chromium --headless --no-sandbox --dump-dom about:blank` works on this machine (scripts/install-test-deps.sh installs it).", e);
        }
    }

    internal sealed class Session(IPlaywright playwright, IBrowserContext context, string profile) : IAsyncDisposable
    {
        public IBrowserContext Context => context;

        public async ValueTask DisposeAsync()
        {
            await context.CloseAsync();
            playwright.Dispose();
            TempDirectory.Delete(profile);
        }
    }
}
