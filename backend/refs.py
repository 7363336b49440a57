"""Inputs by reference (OGC API - Processes: {"href": URL, "type": ...}):
the area may be a GeoJSON document the service fetches. Fetching what a
user names is a way into the service's network, so only http(s) URLs whose
host resolves to public addresses are fetched (unless the operator allows
private ones), without redirects, at most 1 MiB, within 10 s."""
import ipaddress
import socket
from urllib.parse import urlsplit

import requests

from .errors import InvalidInput

MAX_BYTES = 1 << 20
TIMEOUT = 10
TYPES = ("application/geo+json", "application/json")


def fetch_reference(ref, allow_internal, parse_json):
    """{"href", "type"?} -> the JSON document it names. Raises InvalidInput."""
    href, kind = ref.get("href"), ref.get("type", TYPES[0])
    if set(ref) - {"href", "type", "rel", "title"} or not isinstance(href, str):
        raise InvalidInput('An input by reference is {"href": "https://...", '
                           '"type": "application/geo+json"}.')
    if kind not in TYPES:
        raise InvalidInput(f"The area by reference must be GeoJSON ({TYPES[0]}), not {kind!r}.")
    url = urlsplit(href)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise InvalidInput(f"The area's href must be an http(s) URL, not {href[:80]!r}.")
    if not allow_internal:
        _check_public(url.hostname, url.port or (443 if url.scheme == "https" else 80))
    try:
        with requests.get(href, timeout=TIMEOUT, stream=True, allow_redirects=False,
                          headers={"Accept": f"{TYPES[0]}, {TYPES[1]}"}) as resp:
            if resp.status_code != 200:
                raise InvalidInput(f"Fetching the area's href answered HTTP "
                                   f"{resp.status_code} (redirects are not followed).")
            body = b""
            for chunk in resp.iter_content(65536):
                body += chunk
                if len(body) > MAX_BYTES:
                    raise InvalidInput(f"The area's href is larger than {MAX_BYTES} bytes.")
    except requests.RequestException as exc:
        raise InvalidInput(f"The area's href could not be fetched: {type(exc).__name__}.") \
            from None
    return parse_json(body)


def _check_public(host, port):
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        raise InvalidInput(f"The area's href names an unknown host {host!r}.") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global:
            raise InvalidInput(f"The area's href host {host!r} is on a private network: "
                               "not fetched.")
