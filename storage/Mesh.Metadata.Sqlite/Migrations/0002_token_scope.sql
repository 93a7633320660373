-- Proxy tokens name the workloads they may act for ('namespace/service' or 'namespace/*'); NULL for other roles
-- and for proxy tokens created before scopes existed (those are refused certificates until replaced).
ALTER TABLE api_tokens ADD COLUMN scope TEXT;
