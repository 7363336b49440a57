"""Errors the API turns into OGC exception documents."""


class InvalidInput(ValueError):
    """A request the service cannot run as given: answered 400 with the message."""
