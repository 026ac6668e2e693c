"""The pages. They call the rules in ``game/`` and tell sockets through ``realtime.notify``."""
