-- Application-map rollups (see Mesh.Core.Rollups). Every statement is IF NOT EXISTS: applied at every open.
-- One row per edge identity; rollup rows refer to it by id, which keeps the big table narrow.
CREATE TABLE IF NOT EXISTS rollup_edges (
  id INTEGER PRIMARY KEY,
  src_service TEXT NOT NULL,
  src_version TEXT NOT NULL,
  src_namespace TEXT NOT NULL,
  src_kind INTEGER NOT NULL,
  dst_service TEXT NOT NULL,
  dst_version TEXT NOT NULL,
  dst_namespace TEXT NOT NULL,
  dst_kind INTEGER NOT NULL,
  dst_endpoint TEXT NOT NULL,
  route TEXT NOT NULL,
  UNIQUE (src_service, src_version, src_namespace, src_kind, dst_service, dst_version, dst_namespace, dst_kind, dst_endpoint, route)
);
CREATE INDEX IF NOT EXISTS rollup_edges_dst ON rollup_edges (dst_service);

-- Sums per (resolution, bucket, edge). Writers add to a row (ON CONFLICT … DO UPDATE), never replace it, so
-- several ingest nodes and several flushes merge; the histogram blob adds bucket by bucket (mesh_hist_add).
CREATE TABLE IF NOT EXISTS rollups (
  resolution INTEGER NOT NULL,
  bucket INTEGER NOT NULL,
  edge_id INTEGER NOT NULL,
  requests INTEGER NOT NULL,
  errors INTEGER NOT NULL,
  bytes_in INTEGER NOT NULL,
  bytes_out INTEGER NOT NULL,
  mtls INTEGER NOT NULL,
  retries INTEGER NOT NULL,
  rate_limited INTEGER NOT NULL,
  circuit_broken INTEGER NOT NULL,
  latency_sum INTEGER NOT NULL,
  histogram BLOB NOT NULL,
  PRIMARY KEY (resolution, bucket, edge_id)
) WITHOUT ROWID;

-- Ids of the contributions already added, so a retried write is not added twice.
CREATE TABLE IF NOT EXISTS rollup_contributions (
  id TEXT PRIMARY KEY,
  written_at INTEGER NOT NULL
) WITHOUT ROWID;
