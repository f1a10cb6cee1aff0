"""OpenRCM: medical coding and billing, end to end, with its work shown."""

__version__ = "0.1.0"
