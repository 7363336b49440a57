"""Errors a user can act on. Messages are English templates with named
fields, so the QGIS layer can translate the template before formatting."""


class InputError(ValueError):
    """Bad or unusable input: the message says what to change."""

    def __init__(self, template, **fields):
        self.template = template
        self.fields = fields
        super().__init__(template.format(**fields))


class Cancelled(Exception):
    """The user cancelled; whatever the run wrote has been removed."""
