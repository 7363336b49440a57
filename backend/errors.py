"""Errors the API turns into OGC exception documents."""
import re


class InvalidInput(ValueError):
    """A request the service cannot run as given: answered 400 with the message."""


class ConfigError(ValueError):
    """A service setting that cannot work: the service does not start."""


# An absolute path not preceded by a word, a scheme or a host (URLs stay).
ABS_PATH = re.compile(r"(?<![\w:/.~-])/(?:[^\s/:'\"()\[\]]+/)+([^\s/:'\"()\[\]]*)")


def public_message(text, roots=()):
    """A message fit for users: paths under `roots` (the lake, the results)
    become relative to them, any other absolute path is cut to its last
    part. Server paths tell users nothing and tell attackers too much."""
    text = str(text)
    for root in roots:
        text = text.replace(str(root).rstrip("/") + "/", "")
    return ABS_PATH.sub(r"\1", text)
