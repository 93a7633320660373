INSERT INTO endpoints (id, namespace, service, address, port, version, weight, labels, proxy_id, registered_at, expires_at)
VALUES (@id, @namespace, @service, @address, @port, @version, @weight, @labels, @proxy_id, @registered_at, @expires_at)
ON CONFLICT (id) DO UPDATE SET
  namespace = excluded.namespace, service = excluded.service, address = excluded.address, port = excluded.port,
  version = excluded.version, weight = excluded.weight, labels = excluded.labels, proxy_id = excluded.proxy_id,
  registered_at = excluded.registered_at, expires_at = excluded.expires_at
