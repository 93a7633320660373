SELECT revision, author, created_at, message, diff, snapshot FROM config_revisions WHERE revision = @revision
