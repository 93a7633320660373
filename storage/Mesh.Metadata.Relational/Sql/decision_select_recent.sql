SELECT id, namespace, service, endpoint_id, action, weight, reason, source, pinned, created_at, expires_at, cleared_at, cleared_by
FROM routing_decisions ORDER BY id DESC LIMIT @limit
