SELECT id, namespace, service, address, port, version, weight, labels, proxy_id, registered_at, expires_at
FROM endpoints WHERE expires_at > @now ORDER BY namespace, service, id
