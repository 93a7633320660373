-- Config: the current resources, every revision (with the whole set after it, for rollback) and the head.
CREATE TABLE config_head (id INTEGER PRIMARY KEY, revision INTEGER NOT NULL);
INSERT INTO config_head (id, revision) VALUES (1, 0);
CREATE TABLE config_revisions (
  revision INTEGER PRIMARY KEY,
  author TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  message TEXT NOT NULL,
  diff TEXT NOT NULL,
  snapshot TEXT NOT NULL
);
CREATE TABLE config_resources (
  kind TEXT NOT NULL,
  namespace TEXT NOT NULL,
  name TEXT NOT NULL,
  spec TEXT NOT NULL,
  revision INTEGER NOT NULL,
  PRIMARY KEY (kind, namespace, name)
);

-- Discovery: endpoints registered by proxies, alive while their lease runs.
CREATE TABLE endpoints (
  id TEXT PRIMARY KEY,
  namespace TEXT NOT NULL,
  service TEXT NOT NULL,
  address TEXT NOT NULL,
  port INTEGER NOT NULL,
  version TEXT NOT NULL,
  weight INTEGER NOT NULL,
  labels TEXT NOT NULL,
  proxy_id TEXT NOT NULL,
  registered_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX endpoints_expires_at ON endpoints (expires_at);

-- API access: only the SHA-256 of each secret.
CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  revoked_at INTEGER
);

-- Routing feedback: weight overrides and ejections with who, why and until when.
CREATE TABLE routing_decisions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  namespace TEXT NOT NULL,
  service TEXT NOT NULL,
  endpoint_id TEXT NOT NULL,
  action TEXT NOT NULL,
  weight INTEGER,
  reason TEXT NOT NULL,
  source TEXT NOT NULL,
  pinned INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  cleared_at INTEGER,
  cleared_by TEXT
);
CREATE INDEX routing_decisions_open ON routing_decisions (cleared_at, expires_at);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  detail TEXT NOT NULL
);
