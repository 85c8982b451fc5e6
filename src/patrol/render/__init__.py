"""Renderers: labels (zh/en), interactive maps, printed route sheets, static figures."""
