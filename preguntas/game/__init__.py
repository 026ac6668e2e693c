"""The rules of the game as plain functions: no Channels, no HTTP, no frames.

The real-time layer and the pages call these; they read and write the models.
"""
