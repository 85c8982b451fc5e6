"""The scenario: read, validate and model a station's week; synthetic and imported scenarios."""
