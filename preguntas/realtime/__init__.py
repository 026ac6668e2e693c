"""The classroom socket (Channels only): parse a frame, authorize, call a rule in ``game/``,
broadcast. Every frame and event is built in ``protocol``."""
