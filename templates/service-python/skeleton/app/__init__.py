"""The service: an HTTP server on the standard library only."""
