using AirQuality.Contracts;
using GraphQL.Types;

namespace AirQuality.Gateway.Schema.Types;

/// <summary>What PageInfo shows of a page.</summary>
public interface IPageInfo
{
    bool HasNextPage { get; }

    string? EndCursor { get; }
}

/// <summary>One Relay page: edges with their cursors, whether more follow, and how many match in all.</summary>
public sealed record Connection<TNode>(IReadOnlyList<Edge<TNode>> Edges, bool HasNextPage, string? EndCursor, int TotalCount) : IPageInfo;

/// <summary>
/// One edge of a page. Its cursor may be made only when a client selects it: a map reading a page of 500
/// sensors seldom does, and each sensor cursor costs a hash of the query.
/// </summary>
public sealed class Edge<TNode>
{
    private readonly Func<TNode, string>? _cursorOf;
    private string? _cursor;

    public Edge(string cursor, TNode node)
    {
        _cursor = cursor;
        Node = node;
    }

    public Edge(TNode node, Func<TNode, string> cursorOf)
    {
        Node = node;
        _cursorOf = cursorOf;
    }

    public TNode Node { get; }

    public string Cursor => _cursor ??= _cursorOf!(Node);
}

public sealed class PageInfoType : ObjectGraphType<IPageInfo>
{
    public PageInfoType()
    {
        Name = "PageInfo";
        Field<NonNullGraphType<BooleanGraphType>>("hasNextPage").Resolve(c => c.Source.HasNextPage);
        Field<StringGraphType>("endCursor").Resolve(c => c.Source.EndCursor);
    }
}

public abstract class ConnectionGraphType<TEdgeType, TNode> : ObjectGraphType<Connection<TNode>>
    where TEdgeType : IGraphType
{
    protected ConnectionGraphType(string name)
    {
        Name = name;
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TEdgeType>>>>("edges").Resolve(c => c.Source.Edges);
        Field<NonNullGraphType<PageInfoType>>("pageInfo").Resolve(c => c.Source);
        Field<NonNullGraphType<IntGraphType>>("totalCount").Resolve(c => c.Source.TotalCount);
    }
}

public abstract class EdgeGraphType<TNodeType, TNode> : ObjectGraphType<Edge<TNode>>
    where TNodeType : IGraphType
{
    protected EdgeGraphType(string name)
    {
        Name = name;
        Field<NonNullGraphType<StringGraphType>>("cursor").Resolve(c => c.Source.Cursor);
        Field<NonNullGraphType<TNodeType>>("node").Resolve(c => c.Source.Node);
    }
}

public sealed class SensorEdgeType() : EdgeGraphType<SensorType, SensorNode>("SensorEdge");

public sealed class SensorConnectionType() : ConnectionGraphType<SensorEdgeType, SensorNode>("SensorConnection");

public sealed class AlertEdgeType() : EdgeGraphType<AlertType, AlertView>("AlertEdge");

public sealed class AlertConnectionType() : ConnectionGraphType<AlertEdgeType, AlertView>("AlertConnection");
