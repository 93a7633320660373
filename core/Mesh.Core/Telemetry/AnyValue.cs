using System.Globalization;

namespace Mesh.Core.Telemetry;

/// <summary>
/// An immutable OTLP attribute/body value: string, bool, int64, double, bytes, array or key-value list.
/// Kept typed end to end so that a value read back from any store equals the value that was sent.
/// </summary>
public sealed class AnyValue : IEquatable<AnyValue>
{
    private static readonly AnyValue EmptyValue = new(AnyValueKind.Empty, null, 0, 0);
    private static readonly AnyValue TrueValue = new(AnyValueKind.Bool, null, 1, 0);
    private static readonly AnyValue FalseValue = new(AnyValueKind.Bool, null, 0, 0);

    private readonly object? _ref;
    private readonly long _long;
    private readonly double _double;

    private AnyValue(AnyValueKind kind, object? reference, long l, double d)
    {
        Kind = kind;
        _ref = reference;
        _long = l;
        _double = d;
    }

    public AnyValueKind Kind { get; }

    public static AnyValue Empty => EmptyValue;

    public static AnyValue Of(string value) => new(AnyValueKind.String, value ?? string.Empty, 0, 0);

    public static AnyValue Of(bool value) => value ? TrueValue : FalseValue;

    public static AnyValue Of(long value) => new(AnyValueKind.Int, null, value, 0);

    public static AnyValue Of(double value) => new(AnyValueKind.Double, null, 0, value);

    public static AnyValue OfBytes(byte[] value) => new(AnyValueKind.Bytes, value ?? [], 0, 0);

    public static AnyValue OfArray(IReadOnlyList<AnyValue> values) => new(AnyValueKind.Array, values ?? [], 0, 0);

    public static AnyValue OfKvList(IReadOnlyList<KeyValue> values) => new(AnyValueKind.KvList, values ?? [], 0, 0);

    public string StringValue => Kind == AnyValueKind.String ? (string)_ref! : throw WrongKind(AnyValueKind.String);

    public bool BoolValue => Kind == AnyValueKind.Bool ? _long != 0 : throw WrongKind(AnyValueKind.Bool);

    public long IntValue => Kind == AnyValueKind.Int ? _long : throw WrongKind(AnyValueKind.Int);

    public double DoubleValue => Kind == AnyValueKind.Double ? _double : throw WrongKind(AnyValueKind.Double);

    public byte[] BytesValue => Kind == AnyValueKind.Bytes ? (byte[])_ref! : throw WrongKind(AnyValueKind.Bytes);

    public IReadOnlyList<AnyValue> ArrayValue =>
        Kind == AnyValueKind.Array ? (IReadOnlyList<AnyValue>)_ref! : throw WrongKind(AnyValueKind.Array);

    public IReadOnlyList<KeyValue> KvListValue =>
        Kind == AnyValueKind.KvList ? (IReadOnlyList<KeyValue>)_ref! : throw WrongKind(AnyValueKind.KvList);

    /// <summary>
    /// The value as text, the way a person would search for it: strings as-is, numbers invariant,
    /// bools lower-case, bytes base64, arrays and lists as compact JSON.
    /// </summary>
    public string ToDisplayString() => Kind switch
    {
        AnyValueKind.Empty => string.Empty,
        AnyValueKind.String => (string)_ref!,
        AnyValueKind.Bool => _long != 0 ? "true" : "false",
        AnyValueKind.Int => _long.ToString(CultureInfo.InvariantCulture),
        AnyValueKind.Double => _double.ToString("R", CultureInfo.InvariantCulture),
        AnyValueKind.Bytes => Convert.ToBase64String((byte[])_ref!),
        _ => AttributeJson.SerializeValue(this),
    };

    public override string ToString() => ToDisplayString();

    public bool Equals(AnyValue? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other.Kind != Kind)
        {
            return false;
        }

        return Kind switch
        {
            AnyValueKind.Empty => true,
            AnyValueKind.String => (string)_ref! == (string)other._ref!,
            AnyValueKind.Bool or AnyValueKind.Int => _long == other._long,
            AnyValueKind.Double => _double.Equals(other._double),
            AnyValueKind.Bytes => ((byte[])_ref!).AsSpan().SequenceEqual((byte[])other._ref!),
            AnyValueKind.Array => ArrayValue.SequenceEqual(other.ArrayValue),
            AnyValueKind.KvList => KvListValue.SequenceEqual(other.KvListValue),
            _ => false,
        };
    }

    public override bool Equals(object? obj) => Equals(obj as AnyValue);

    public override int GetHashCode() => Kind switch
    {
        AnyValueKind.String => HashCode.Combine(Kind, (string)_ref!),
        AnyValueKind.Bool or AnyValueKind.Int => HashCode.Combine(Kind, _long),
        AnyValueKind.Double => HashCode.Combine(Kind, _double),
        _ => (int)Kind,
    };

    private InvalidOperationException WrongKind(AnyValueKind wanted) =>
        new($"AnyValue is {Kind}, not {wanted}.");
}
