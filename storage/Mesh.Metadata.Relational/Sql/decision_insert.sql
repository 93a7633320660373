INSERT INTO routing_decisions (namespace, service, endpoint_id, action, weight, reason, source, pinned, created_at, expires_at)
VALUES (@namespace, @service, @endpoint_id, @action, @weight, @reason, @source, @pinned, @created_at, @expires_at)
RETURNING id
