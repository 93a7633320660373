SELECT id, name, role, hash, created_at, created_by, revoked_at FROM api_tokens ORDER BY created_at, id
