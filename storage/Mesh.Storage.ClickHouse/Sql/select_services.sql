SELECT DISTINCT service
FROM {operations}
FORMAT JSONEachRow
