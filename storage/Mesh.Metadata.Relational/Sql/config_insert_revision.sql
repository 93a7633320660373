INSERT INTO config_revisions (revision, author, created_at, message, diff, snapshot)
VALUES (@revision, @author, @created_at, @message, @diff, @snapshot)
