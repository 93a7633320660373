DELETE FROM endpoints WHERE id = @id
