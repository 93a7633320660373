INSERT INTO {rollup_contributions} (id, written_at) VALUES ({id}, now())
