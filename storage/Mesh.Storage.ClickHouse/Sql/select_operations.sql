SELECT DISTINCT name, kind
FROM {operations}
WHERE service = {service}
FORMAT JSONEachRow
