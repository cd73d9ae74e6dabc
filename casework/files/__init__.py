"""Files attached to cases: their type read from the content, their names, their storage."""
