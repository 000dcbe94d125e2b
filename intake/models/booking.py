"""The permanence as data (opening rules, closures) and the appointments booked in it."""

__all__ = []
