using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AirQuality.Hosting;

/// <summary>
/// Options bound from configuration and checked when the host starts. Each options class says what is wrong with it
/// as a list of sentences naming the setting ("Ingest:MaxBodyBytes must be ..."), so a bad setting stops start-up
/// with a message an operator can act on, and every problem is reported at once rather than the first.
/// </summary>
public static class ValidatedOptions
{
    /// <summary>Binds <typeparamref name="T"/> to <paramref name="section"/> and validates it with <paramref name="problems"/> at start.</summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, string section, Func<T, IEnumerable<string>> problems)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddOptions<T>().BindConfiguration(section).Validate(problems);
    }

    /// <summary>
    /// Validates with <paramref name="problems"/> at start: every problem found is one failure message. For named options
    /// (a provider's own section, a lambda): <c>services.AddOptions&lt;T&gt;(name).Configure(...).Validate(o =&gt; o.Problems())</c>.
    /// </summary>
    public static OptionsBuilder<T> Validate<T>(this OptionsBuilder<T> builder, Func<T, IEnumerable<string>> problems)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(problems);
        builder.Services.AddSingleton<IValidateOptions<T>>(new ProblemsValidator<T>(builder.Name, problems));
        return builder.ValidateOnStart();
    }

    /// <summary>
    /// The problems of options needed before the container exists (an Orleans builder's clustering choice): the same
    /// messages as the start-up validation, thrown at once.
    /// </summary>
    public static T GetValidated<T>(this IConfiguration configuration, string section, Func<T, IEnumerable<string>> problems)
        where T : class, new()
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(problems);
        var options = configuration.GetSection(section).Get<T>() ?? new T();
        var found = problems(options).ToList();
        return found.Count == 0 ? options : throw new OptionsValidationException(section, typeof(T), found);
    }

    private sealed class ProblemsValidator<T>(string? name, Func<T, IEnumerable<string>> problems) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? optionsName, T options)
        {
            if (name is not null && !string.Equals(name, optionsName, StringComparison.Ordinal))
            {
                return ValidateOptionsResult.Skip;
            }

            var found = problems(options).ToList();
            return found.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(found);
        }
    }
}
