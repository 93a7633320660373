using Mesh.Core.Storage;
using Mesh.Core.Telemetry;
using Microsoft.Data.Sqlite;
using Xunit;
using static Mesh.Storage.Tests.TestTelemetry;

namespace Mesh.Storage.Tests.Sqlite;

/// <summary>Schema versioning: a new file is created at the current version, an older one is upgraded at open.</summary>
public sealed class SqliteSchemaTests
{
    /// <summary>The span tables of schema version 1 (user_version 0), as that Mesh created them.</summary>
    private const string Version1Ddl = """
        CREATE TABLE IF NOT EXISTS resources (
          id INTEGER PRIMARY KEY,
          key TEXT NOT NULL UNIQUE,
          attributes TEXT NOT NULL,
          dropped_attributes INTEGER NOT NULL,
          schema_url TEXT NOT NULL
        );

        CREATE TABLE IF NOT EXISTS scopes (
          id INTEGER PRIMARY KEY,
          key TEXT NOT NULL UNIQUE,
          name TEXT NOT NULL,
          version TEXT NOT NULL,
          attributes TEXT NOT NULL,
          dropped_attributes INTEGER NOT NULL,
          schema_url TEXT NOT NULL
        );

        CREATE TABLE IF NOT EXISTS spans (
          trace_id BLOB NOT NULL,
          span_id INTEGER NOT NULL,
          parent_span_id INTEGER NOT NULL,
          trace_state TEXT NOT NULL,
          flags INTEGER NOT NULL,
          name TEXT NOT NULL,
          kind INTEGER NOT NULL,
          start_ns INTEGER NOT NULL,
          end_ns INTEGER NOT NULL,
          duration_ns INTEGER NOT NULL,
          status_code INTEGER NOT NULL,
          status_message TEXT NOT NULL,
          service TEXT NOT NULL,
          resource_id INTEGER NOT NULL REFERENCES resources(id),
          scope_id INTEGER NOT NULL REFERENCES scopes(id),
          attributes TEXT NOT NULL,
          dropped_attributes INTEGER NOT NULL,
          events TEXT NOT NULL,
          dropped_events INTEGER NOT NULL,
          links TEXT NOT NULL,
          dropped_links INTEGER NOT NULL
        );

        CREATE UNIQUE INDEX IF NOT EXISTS spans_trace ON spans (trace_id, span_id);
        CREATE INDEX IF NOT EXISTS spans_service_start ON spans (service, start_ns);
        CREATE INDEX IF NOT EXISTS spans_start ON spans (start_ns);

        CREATE TABLE IF NOT EXISTS operations (
          service TEXT NOT NULL,
          name TEXT NOT NULL,
          kind INTEGER NOT NULL,
          PRIMARY KEY (service, name, kind)
        ) WITHOUT ROWID;
        """;

    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Initialize_NewFile_CreatesVersion2WithTraceRuns()
    {
        await using var test = await SqliteTestStore.CreateAsync();

        Assert.Equal(2, test.Scalar("PRAGMA user_version"));
        Assert.Equal(1, test.Scalar("SELECT count(*) FROM sqlite_master WHERE name = 'trace_runs'"));
        Assert.Equal(0, test.Scalar("SELECT count(*) FROM sqlite_master WHERE name = 'spans_trace'"));
    }

    [Fact]
    public async Task Initialize_Version1File_UpgradesAndReadsItsTraces()
    {
        await using var test = SqliteTestStore.Unopened();
        var traceA = NewTraceId();
        var traceB = new TraceId(0xfedc_ba98_7654_3210UL, 42);
        var rich = RichSpan(traceA);
        var old = new List<Span>
        {
            NewSpan(traceA, "frontend", "GET /", 0, 2000),
            NewSpan(traceB, "worker", "consume", 10, 5),
            rich,
            NewSpan(traceB, "worker", "process", 20, 5, status: StatusCode.Error),
        };
        WriteVersion1(test, old);

        await test.OpenAsync();

        Assert.Equal(2, test.Scalar("PRAGMA user_version"));
        Assert.Equal(0, test.Scalar("SELECT count(*) FROM sqlite_master WHERE name = 'spans_trace'"));
        Assert.Equal(4, test.Scalar("SELECT count(*) FROM trace_runs"));
        Assert.Equal([old[0], rich], await test.Store.SpanReader.GetTraceAsync(traceA, Ct));
        Assert.Equal([old[1], old[3]], await test.Store.SpanReader.GetTraceAsync(traceB, Ct));
        var worker = Assert.Single(await test.Store.SpanReader.FindTracesAsync(Window("worker"), Ct));
        Assert.Equal((traceB, 2, 1), (worker.TraceId, worker.SpanCount, worker.ErrorCount));

        // New writes land beside the upgraded rows, and a replay sees the old ones through their runs.
        var added = NewSpan(traceB, "worker", "ack", 30, 1);
        await test.Store.SpanWriter.WriteSpansAsync([added], WriteMode.First, Ct);
        await test.Store.SpanWriter.WriteSpansAsync([.. old, added], WriteMode.Replay, Ct);
        Assert.Equal([old[1], old[3], added], await test.Store.SpanReader.GetTraceAsync(traceB, Ct));
        Assert.Equal(5, test.Scalar("SELECT count(*) FROM spans"));

        // Opening again finds version 2 and changes nothing.
        await test.Store.DisposeAsync();
        await test.OpenAsync();
        Assert.Equal(5, test.Scalar("SELECT count(*) FROM trace_runs"));
        Assert.Equal(3, (await test.Store.SpanReader.GetTraceAsync(traceB, Ct)).Count);
    }

    [Fact]
    public async Task Initialize_NewerVersion_Refuses()
    {
        await using var test = SqliteTestStore.Unopened();
        using (var connection = test.Connect())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "PRAGMA user_version = 3";
            command.ExecuteNonQuery();
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => test.OpenAsync());
        Assert.Contains("schema version 3", error.Message, StringComparison.Ordinal);
    }

    private static TraceQuery Window(string service) => new()
    {
        Service = service,
        StartUnixNano = BaseNanos - 3_600_000_000_000,
        EndUnixNano = BaseNanos + 3_600_000_000_000,
    };

    /// <summary>Writes <paramref name="spans"/> as the version 1 writer did: one row each, in batch order.</summary>
    private static void WriteVersion1(SqliteTestStore test, IReadOnlyList<Span> spans)
    {
        using var connection = test.Connect();
        using var transaction = connection.BeginTransaction();
        using (var ddl = connection.CreateCommand())
        {
            ddl.Transaction = transaction;
            ddl.CommandText = Version1Ddl;
            ddl.ExecuteNonQuery();
        }

        foreach (var span in spans)
        {
            var resourceId = Insert(
                connection,
                transaction,
                "INSERT INTO resources (key, attributes, dropped_attributes, schema_url) VALUES ($key, $a, $d, $s) " +
                "ON CONFLICT (key) DO UPDATE SET key = excluded.key RETURNING id",
                ("$key", AttributeJson.Serialize(span.Resource.Attributes) + span.Resource.SchemaUrl),
                ("$a", AttributeJson.Serialize(span.Resource.Attributes)),
                ("$d", (long)span.Resource.DroppedAttributesCount),
                ("$s", span.Resource.SchemaUrl));
            var scopeId = Insert(
                connection,
                transaction,
                "INSERT INTO scopes (key, name, version, attributes, dropped_attributes, schema_url) VALUES ($key, $n, $v, $a, $d, $s) " +
                "ON CONFLICT (key) DO UPDATE SET key = excluded.key RETURNING id",
                ("$key", span.Scope.Name + span.Scope.Version),
                ("$n", span.Scope.Name),
                ("$v", span.Scope.Version),
                ("$a", AttributeJson.Serialize(span.Scope.Attributes)),
                ("$d", (long)span.Scope.DroppedAttributesCount),
                ("$s", span.Scope.SchemaUrl));
            Insert(
                connection,
                transaction,
                "INSERT OR IGNORE INTO spans VALUES ($t, $id, $parent, $state, $flags, $name, $kind, $start, $end, $duration, $status, $message, " +
                "$service, $resource, $scope, $attributes, $da, $events, $de, $links, $dl) RETURNING rowid",
                ("$t", span.TraceId.ToBytes()),
                ("$id", unchecked((long)span.SpanId.Value)),
                ("$parent", unchecked((long)span.ParentSpanId.Value)),
                ("$state", span.TraceState),
                ("$flags", (long)span.Flags),
                ("$name", span.Name),
                ("$kind", (long)span.Kind),
                ("$start", span.StartTimeUnixNano),
                ("$end", span.EndTimeUnixNano),
                ("$duration", span.DurationNanos),
                ("$status", (long)span.StatusCode),
                ("$message", span.StatusMessage),
                ("$service", span.ServiceName),
                ("$resource", resourceId),
                ("$scope", scopeId),
                ("$attributes", AttributeJson.Serialize(span.Attributes)),
                ("$da", (long)span.DroppedAttributesCount),
                ("$events", AttributeJson.SerializeEvents(span.Events)),
                ("$de", (long)span.DroppedEventsCount),
                ("$links", AttributeJson.SerializeLinks(span.Links)),
                ("$dl", (long)span.DroppedLinksCount));
            Insert(
                connection,
                transaction,
                "INSERT OR IGNORE INTO operations (service, name, kind) VALUES ($s, $n, $k) RETURNING 0",
                ("$s", span.ServiceName),
                ("$n", span.Name),
                ("$k", (long)span.Kind));
        }

        transaction.Commit();
    }

    private static long Insert(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
