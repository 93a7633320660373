namespace Mesh.Core.Facts;

/// <summary>
/// Collects facts from attributes one at a time, in wire order, whatever read them (the model or the wire): the one
/// place that says what each key's value means. A value is read only when the key's fact still takes it
/// (<see cref="Takes"/>), so the caller can skip making text nobody keeps.
/// </summary>
public struct FactsBuilder
{
    private string? _service;
    private string? _version;
    private string? _namespace;
    private bool _proxy;
    private SpanFacts _span;

    public FactsBuilder() => _span = new SpanFacts();

    /// <summary>False when an earlier attribute already settled this fact (the first server address or port wins).</summary>
    public readonly bool Takes(FactKey key) => key switch
    {
        FactKey.None => false,
        FactKey.ServerAddress => _span.ServerAddress is null,
        FactKey.ServerPort => _span.ServerPort is null,
        _ => true,
    };

    public void SetText(FactKey key, string? text)
    {
        switch (key)
        {
            case FactKey.ServiceName when text is { Length: > 0 }: _service = text; break;
            case FactKey.ServiceVersion: _version = text; break;
            case FactKey.ServiceNamespace: _namespace = text; break;
            case FactKey.Proxy: _proxy = text == "true"; break;
            case FactKey.Direction: _span.Direction = text; break;
            case FactKey.SourceService: _span.SourceService = text; break;
            case FactKey.SourceVersion: _span.SourceVersion = text; break;
            case FactKey.SourceNamespace: _span.SourceNamespace = text; break;
            case FactKey.DestinationService: _span.DestinationService = text; break;
            case FactKey.DestinationVersion: _span.DestinationVersion = text; break;
            case FactKey.DestinationNamespace: _span.DestinationNamespace = text; break;
            case FactKey.DestinationEndpoint: _span.DestinationEndpoint = text; break;
            case FactKey.MeshRoute: _span.MeshRoute = text; break;
            case FactKey.HttpRoute: _span.HttpRoute = text; break;
            case FactKey.ResponseFlags: _span.ResponseFlags = text; break;
            case FactKey.DbSystem: _span.DbSystem = text; break;
            case FactKey.ServerAddress: _span.ServerAddress ??= text; break;
            case FactKey.PeerService: _span.PeerService = text; break;
        }
    }

    /// <param name="number">The value as a whole number; null when it is none (not a number, NaN, or absent).</param>
    public void SetNumber(FactKey key, long? number)
    {
        switch (key)
        {
            case FactKey.HttpStatus: _span.HttpStatus = number; break;
            case FactKey.GrpcStatus: _span.GrpcStatus = number; break;
            case FactKey.BytesIn: _span.BytesIn = Math.Max(0, number ?? 0); break;
            case FactKey.BytesOut: _span.BytesOut = Math.Max(0, number ?? 0); break;
            case FactKey.Attempts: _span.Attempts = Math.Max(1, number ?? 1); break;
            case FactKey.ServerPort: _span.ServerPort ??= number; break;
        }
    }

    /// <summary><see cref="FactKey.Mtls"/>: a boolean value, or the text "true".</summary>
    public void SetFlag(FactKey key, bool value)
    {
        if (key == FactKey.Mtls)
        {
            _span.Mtls = value;
        }
    }

    /// <summary>The resource's facts, from the resource attributes set so far.</summary>
    public readonly ResourceFacts ToResource() => new()
    {
        Service = _service ?? "unknown_service",
        Version = _version ?? string.Empty,
        Namespace = _namespace ?? string.Empty,
        IsProxy = _proxy,
    };

    /// <summary>
    /// The span's facts from the span attributes set so far, and the fields read by the caller; the builder starts
    /// over for the next span.
    /// </summary>
    public SpanFacts ToSpan(ResourceFacts resource, in SpanFields fields)
    {
        var facts = _span;
        _span = new SpanFacts();
        facts.Resource = resource;
        facts.Fields = fields;
        facts.IsProxy = resource.IsProxy || facts.Direction is not null;
        return facts;
    }
}
