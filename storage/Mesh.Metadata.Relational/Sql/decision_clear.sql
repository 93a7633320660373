UPDATE routing_decisions SET cleared_at = @at, cleared_by = @cleared_by WHERE id = @id AND cleared_at IS NULL
