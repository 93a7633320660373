SELECT version() AS version
FORMAT JSONEachRow
