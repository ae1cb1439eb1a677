"""HTTP and WebSocket routes."""

# Every JSON endpoint lives under this prefix; probes, pages and the WebSocket stay outside
# it, so a v2 can sit next to v1 later.
API_PREFIX = "/api/v1"
