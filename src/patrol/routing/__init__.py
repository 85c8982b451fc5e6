"""Routing: which task on which team (CP-SAT), the integer routing problem, and its engines."""
