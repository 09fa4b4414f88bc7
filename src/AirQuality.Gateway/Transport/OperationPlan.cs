using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;

namespace AirQuality.Gateway.Transport;

/// <summary>Parses a document once, before execution, to see which kind of operation it asks for.</summary>
internal static class OperationPlan
{
    /// <summary>The document, or null when it does not parse (execution then reports the syntax error).</summary>
    public static GraphQLDocument? TryParse(string query)
    {
        try
        {
            return Parser.Parse(query);
        }
        catch (GraphQLParserException)
        {
            return null;
        }
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
}
