SELECT revision, author, created_at, message, diff FROM config_revisions ORDER BY revision DESC LIMIT @limit
