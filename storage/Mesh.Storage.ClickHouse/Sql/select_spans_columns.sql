-- Which of the columns added since the spans table was first created it has (see ClickHouseSchema.MigrateAsync).
SELECT name
FROM system.columns
WHERE database = {database_name} AND table = {table_name}
FORMAT JSONEachRow
