SELECT id, name, role, hash, created_at, created_by, revoked_at, scope FROM api_tokens WHERE hash = @hash AND revoked_at IS NULL
