"""Inputs by reference (OGC API - Processes: {"href": URL, "type": ...}):
the area may be a GeoJSON document the service fetches. Fetching what a
user names is a way into the service's network, so only http(s) URLs whose
host resolves to public addresses are fetched (unless the operator allows
private ones), without redirects, at most 1 MiB, within 10 s. The host is
resolved once and the connection goes to the address checked: a name that
resolves to a public address for the check and to a private one for the
request (DNS rebinding) still reaches the public one."""
import ipaddress
import socket
import ssl
from urllib.parse import urlsplit

import urllib3

from .errors import InvalidInput

MAX_BYTES = 1 << 20
TIMEOUT = 10
TYPES = ("application/geo+json", "application/json")
NAT64 = ipaddress.ip_network("64:ff9b::/96")      # RFC 6052: an IPv4 address inside


def fetch_reference(ref, allow_internal, parse_json):
    """{"href", "type"?} -> the JSON document it names. Raises InvalidInput."""
    href, kind = ref.get("href"), ref.get("type", TYPES[0])
    if set(ref) - {"href", "type", "rel", "title"} or not isinstance(href, str):
        raise InvalidInput('An input by reference is {"href": "https://...", '
                           '"type": "application/geo+json"}.')
    if kind not in TYPES:
        raise InvalidInput(f"The area by reference must be GeoJSON ({TYPES[0]}), not {kind!r}.")
    url, port = _parsed(href)
    address = _resolved(url.hostname, port)
    if not allow_internal and not _public(address):
        raise InvalidInput(f"The area's href host {url.hostname!r} is on a private network: "
                           "not fetched.")
    return parse_json(_get(url, port, address))


def _parsed(href):
    """(split URL, port) of an http(s) URL with a host."""
    try:
        url = urlsplit(href)
        port = url.port or (443 if url.scheme == "https" else 80)
    except ValueError:
        raise InvalidInput(f"The area's href is not a valid URL: {href[:80]!r}.") from None
    if url.scheme not in ("http", "https") or not url.hostname:
        raise InvalidInput(f"The area's href must be an http(s) URL, not {href[:80]!r}.")
    return url, port


def _resolved(host, port):
    """The address the request will go to; every address the name has must be
    usable, so a name mixing public and private ones is judged by the worst."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError):
        raise InvalidInput(f"The area's href names an unknown host {host!r}.") from None
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    return min(addresses, key=_public)         # a private one first, if any


def _public(address):
    """A global address, also once unwrapped from IPv6 tunnel and mapping
    prefixes (6to4, Teredo, NAT64, IPv4-mapped), which carry an IPv4 one."""
    inner = []
    if address.version == 6:
        inner = [address.ipv4_mapped, address.sixtofour, *(address.teredo or ())]
        if address in NAT64:
            inner.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return address.is_global and all(a.is_global for a in inner if a is not None)


def _get(url, port, address):
    """The body at url, asked of `address` (the host's name kept for the Host
    header and for TLS: SNI and the certificate's check)."""
    target = (url.path or "/") + (f"?{url.query}" if url.query else "")
    common = dict(port=port, timeout=urllib3.Timeout(total=TIMEOUT), retries=False, maxsize=1)
    if url.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(str(address), server_hostname=url.hostname,
                                           assert_hostname=url.hostname,
                                           ssl_context=ssl.create_default_context(), **common)
    else:
        pool = urllib3.HTTPConnectionPool(str(address), **common)
    host = url.hostname if url.port is None else f"{url.hostname}:{url.port}"
    if ":" in url.hostname:
        host = f"[{url.hostname}]" + (f":{url.port}" if url.port else "")
    try:
        resp = pool.urlopen("GET", target, redirect=False, preload_content=False,
                            headers={"Host": host, "Accept": f"{TYPES[0]}, {TYPES[1]}"})
        try:
            if resp.status != 200:
                raise InvalidInput(f"Fetching the area's href answered HTTP {resp.status} "
                                   "(redirects are not followed).")
            body = resp.read(MAX_BYTES + 1)
        finally:
            resp.release_conn()
    except urllib3.exceptions.HTTPError as exc:
        raise InvalidInput(f"The area's href could not be fetched: {type(exc).__name__}.") \
            from None
    finally:
        pool.close()
    if len(body) > MAX_BYTES:
        raise InvalidInput(f"The area's href is larger than {MAX_BYTES} bytes.")
    return body
