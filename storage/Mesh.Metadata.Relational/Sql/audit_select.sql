SELECT id, at, actor, action, target, detail FROM audit_log ORDER BY id DESC LIMIT @limit
