namespace Mesh.Analytics.Graph;

/// <summary>One step of an edge time series: its start, the metric's value, and the requests it rests on.</summary>
public sealed record SeriesPoint(long StartUnixSeconds, double? Value, long Requests);
