-- Distinct (service, span name, kind), kept by the view below, so listing services and operations
-- reads a few rows instead of scanning spans. Duplicates collapse in merges; readers use DISTINCT.
CREATE TABLE IF NOT EXISTS {operations}
(
  service {low_cardinality_string},
  name {low_cardinality_string},
  kind Int32
)
ENGINE = ReplacingMergeTree
ORDER BY (service, name, kind)
