"""fwpick: pick FastAPI or Flask with reasons, and scaffold a production-ready project.

This module stays import-light: every command imports it, so it holds only the version.
"""

__version__ = "0.1.0"
