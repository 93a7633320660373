-- Moves the head only if nobody else has: zero rows updated means a concurrent commit won.
UPDATE config_head SET revision = @next WHERE id = 1 AND revision = @expected
