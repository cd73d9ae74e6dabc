"""Documents Palabre prints: what people hold in their hands."""
