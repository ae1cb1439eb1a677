"""Application core: settings, logging, middleware and error handlers."""
