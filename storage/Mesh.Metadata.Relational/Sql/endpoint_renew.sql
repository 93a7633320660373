-- A lapsed lease cannot be renewed: the proxy must register again (its endpoint may already be gone from snapshots).
UPDATE endpoints SET expires_at = @expires_at WHERE id = @id AND expires_at > @now
