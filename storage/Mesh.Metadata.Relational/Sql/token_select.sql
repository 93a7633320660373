SELECT id, name, role, hash, created_at, created_by, revoked_at, scope FROM api_tokens ORDER BY created_at, id
