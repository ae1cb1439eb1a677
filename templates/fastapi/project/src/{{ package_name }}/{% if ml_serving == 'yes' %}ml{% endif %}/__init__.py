"""The served model: loading and inference."""
