DELETE FROM config_resources WHERE kind = @kind AND namespace = @namespace AND name = @name
