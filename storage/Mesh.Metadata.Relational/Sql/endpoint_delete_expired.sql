DELETE FROM endpoints WHERE expires_at <= @now
RETURNING id, namespace, service, address, port, version, weight, labels, proxy_id, registered_at, expires_at
