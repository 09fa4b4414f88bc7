using GraphQL;
using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;

namespace AirQuality.Gateway.Transport;

/// <summary>
/// Parses a document once, before execution, to see which kind of operation it asks for, and bounds what the
/// engine's validators would have to walk: they recurse through fragment spreads, so a chain of 2,000 fragments
/// in 60 KB overflowed the stack and killed the process, and a fan of fragments that each spread the next twice
/// made them expand 2^30 selections.
/// </summary>
internal static class OperationPlan
{
    /// <summary>
    /// How deeply a document may nest: AST nodes for the parser (fields, lists, object values), and selection
    /// levels plus fragment spreads with fragments inlined. graphql-dotnet's parser default, set here on purpose.
    /// </summary>
    public const int MaxDepth = 128;

    public const string TooDeepCode = "MAX_DEPTH_EXCEEDED";

    public const string SyntaxErrorCode = "SYNTAX_ERROR";

    public const string FragmentCycleCode = "NO_FRAGMENT_CYCLES";

    public const string ComplexityCode = "COMPLEXITY";

    private static readonly ParserOptions Options = new() { MaxDepth = MaxDepth };

    /// <summary>The document, or null when it does not parse (the runner then reports why).</summary>
    public static GraphQLDocument? TryParse(string query) => Parse(query, out _);

    /// <summary>The document, or null with the error a client gets (SYNTAX_ERROR, MAX_DEPTH_EXCEEDED).</summary>
    public static GraphQLDocument? Parse(string query, out ExecutionError? error)
    {
        ArgumentNullException.ThrowIfNull(query);
        error = null;
        try
        {
            return Parser.Parse(query, Options);
        }
        catch (GraphQLMaxDepthExceededException)
        {
            error = TooDeep();
        }
        catch (GraphQLParserException e)
        {
            // The description and position only: the exception's message quotes the client's document.
            error = new ExecutionError($"Error parsing query: {e.Description}") { Code = SyntaxErrorCode };
            error.AddLocation(e.Location);
        }

        return null;
    }

    /// <summary>
    /// Null when the document, fragments inlined, nests at most <see cref="MaxDepth"/> deep, has no fragment
    /// cycle and at most <paramref name="maxFields"/> fields in any one definition (each field costs at least 1
    /// in the complexity limit, so a larger document would be refused anyway, only after an expansion that may
    /// never end); otherwise the error. Each fragment is measured once, so this is linear in the document.
    /// </summary>
    public static ExecutionError? Problem(GraphQLDocument document, double maxFields)
    {
        ArgumentNullException.ThrowIfNull(document);
        var fragments = new Dictionary<string, GraphQLFragmentDefinition>(StringComparer.Ordinal);
        foreach (var fragment in document.Definitions.OfType<GraphQLFragmentDefinition>())
        {
            fragments.TryAdd(fragment.FragmentName.Name.StringValue, fragment);
        }

        var measure = new Measure(fragments);
        foreach (var definition in document.Definitions)
        {
            var selections = definition switch
            {
                GraphQLOperationDefinition operation => operation.SelectionSet,
                GraphQLFragmentDefinition fragment => fragment.SelectionSet,
                _ => null,
            };
            if (selections is null)
            {
                continue;
            }

            if (measure.Of(selections, depth: 1) is not { } size)
            {
                return measure.Failure;
            }

            if (size.Fields > maxFields)
            {
                return new ExecutionError(
                    $"Query is too complex to execute: with its fragments expanded it has more than {maxFields:0} fields, the complexity limit of this endpoint.")
                { Code = ComplexityCode };
            }
        }

        return null;
    }

    /// <summary>The type of the operation that would run, or null when the name selects none (validation says why).</summary>
    public static OperationType? Select(GraphQLDocument document, string? operationName)
    {
        var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        var chosen = string.IsNullOrEmpty(operationName)
            ? (operations.Count == 1 ? operations[0] : null)
            : operations.FirstOrDefault(o => o.Name is { } name && name.Value == operationName);
        return chosen?.Operation;
    }

    private static ExecutionError TooDeep() =>
        new($"the document nests deeper than {MaxDepth} levels (fields, lists, objects or fragment spreads)") { Code = TooDeepCode };

    /// <summary>
    /// Fields and height of selection sets with fragments inlined, each fragment measured once. The walk stops
    /// as soon as it passes <see cref="MaxDepth"/>, so its own recursion stays bounded.
    /// </summary>
    private sealed class Measure(Dictionary<string, GraphQLFragmentDefinition> fragments)
    {
        private readonly Dictionary<string, (double Fields, int Height)> _measured = new(StringComparer.Ordinal);
        private readonly HashSet<string> _open = new(StringComparer.Ordinal);

        public ExecutionError? Failure { get; private set; }

        /// <summary>Fields and height below a selection set at <paramref name="depth"/>, or null (see <see cref="Failure"/>).</summary>
        public (double Fields, int Height)? Of(GraphQLSelectionSet selections, int depth)
        {
            if (depth > MaxDepth)
            {
                Failure = TooDeep();
                return null;
            }

            double fields = 0;
            var height = 1;
            foreach (var selection in selections.Selections)
            {
                (double Fields, int Height)? below = selection switch
                {
                    GraphQLField { SelectionSet: { } sub } => Of(sub, depth + 1) is { } field ? (field.Fields + 1, field.Height + 1) : null,
                    GraphQLField => (1, 1),
                    GraphQLInlineFragment inline => Of(inline.SelectionSet, depth + 1),
                    GraphQLFragmentSpread spread => OfFragment(spread.FragmentName.Name.StringValue, depth + 1),
                    _ => (0, 0),
                };
                if (below is not { } measured)
                {
                    return null;
                }

                fields += measured.Fields;
                height = Math.Max(height, measured.Height);
            }

            return (fields, height);
        }

        private (double Fields, int Height)? OfFragment(string name, int depth)
        {
            if (_measured.TryGetValue(name, out var known))
            {
                if (depth + known.Height > MaxDepth)
                {
                    Failure = TooDeep();
                    return null;
                }

                return (known.Fields, known.Height + 1);
            }

            if (!fragments.TryGetValue(name, out var fragment))
            {
                // Validation names the unknown fragment.
                return (0, 1);
            }

            if (!_open.Add(name))
            {
                Failure = new ExecutionError($"fragment {name} spreads itself, directly or through other fragments") { Code = FragmentCycleCode };
                return null;
            }

            var measured = Of(fragment.SelectionSet, depth);
            _open.Remove(name);
            if (measured is not { } result)
            {
                return null;
            }

            _measured[name] = result;
            return (result.Fields, result.Height + 1);
        }
    }
}
