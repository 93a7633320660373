SELECT kind, namespace, name, spec, revision FROM config_resources ORDER BY kind, namespace, name
