INSERT INTO config_resources (kind, namespace, name, spec, revision)
VALUES (@kind, @namespace, @name, @spec, @revision)
ON CONFLICT (kind, namespace, name) DO UPDATE SET spec = excluded.spec, revision = excluded.revision
