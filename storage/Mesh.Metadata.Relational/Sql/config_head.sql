SELECT revision FROM config_head WHERE id = 1
