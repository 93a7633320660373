INSERT INTO api_tokens (id, name, role, hash, created_at, created_by, revoked_at, scope)
VALUES (@id, @name, @role, @hash, @created_at, @created_by, NULL, @scope)
