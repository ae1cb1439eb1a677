"""Logic the views call, independent of HTTP."""
