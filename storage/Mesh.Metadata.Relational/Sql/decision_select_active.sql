SELECT id, namespace, service, endpoint_id, action, weight, reason, source, pinned, created_at, expires_at, cleared_at, cleared_by
FROM routing_decisions
WHERE cleared_at IS NULL AND (expires_at IS NULL OR expires_at > @now)
ORDER BY id
