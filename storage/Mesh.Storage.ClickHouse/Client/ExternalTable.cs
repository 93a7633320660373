namespace Mesh.Storage.ClickHouse.Client;

/// <summary>
/// A temporary table sent with a query (ClickHouse's "external data"): RowBinary rows in the request
/// body, usable as <c>x IN name</c>. It carries a batch's ids to the server without turning them into
/// SQL: no statement-size or AST limits, and nothing to parse but binary rows.
/// </summary>
internal sealed record ExternalTable(string Name, string Structure, byte[] RowBinary);
