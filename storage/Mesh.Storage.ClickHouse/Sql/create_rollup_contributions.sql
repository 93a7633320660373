-- Ids of rollup contributions already inserted, so a retried write is not added twice.
CREATE TABLE IF NOT EXISTS {rollup_contributions}
(
  id String,
  written_at DateTime
)
ENGINE = MergeTree()
ORDER BY id
