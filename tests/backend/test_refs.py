"""Inputs by reference: what the service agrees to fetch, and from where."""
import ipaddress
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from backend import refs
from backend.errors import InvalidInput


@pytest.mark.parametrize("href", ["http://[::1/x.json", "http://example.com:99999/",
                                  "http://example.com:abc/", "ftp://example.com/a.json",
                                  "http:///a.json"])
def test_malformed_urls_are_refused_as_input_errors(href):
    with pytest.raises(InvalidInput, match="URL"):
        refs.fetch_reference({"href": href}, False, json.loads)


@pytest.mark.parametrize("address, public", [
    ("93.184.215.14", True), ("2606:4700:4700::1111", True),
    ("127.0.0.1", False), ("10.1.2.3", False), ("169.254.169.254", False), ("::1", False),
    ("::ffff:127.0.0.1", False),                   # IPv4-mapped
    ("64:ff9b::7f00:1", False),                    # NAT64 of 127.0.0.1
    ("64:ff9b::a01:203", False),                   # NAT64 of 10.1.2.3
    ("2002:7f00:1::", False),                      # 6to4 of 127.0.0.1
    ("2001:0:4136:e378:8000:63bf:80ff:fffe", False),   # Teredo, client 127.0.0.1
])
def test_tunnelled_private_addresses_are_private(address, public):
    assert refs._public(ipaddress.ip_address(address)) is public


def test_the_request_goes_to_the_address_checked(monkeypatch):
    """DNS rebinding: the name is resolved once; the request is sent to that
    address with the name as Host, not resolved again."""
    hosts = []

    class Area(BaseHTTPRequestHandler):
        def do_GET(self):
            hosts.append(self.headers["Host"])
            body = json.dumps({"type": "Polygon", "coordinates": []}).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Area)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    port = httpd.server_address[1]
    real = socket.getaddrinfo
    # the name's first answer is this host; a second lookup would give a black hole
    answers = iter(["127.0.0.1", "192.0.2.1"])

    def rebinding(host, *args, **kwargs):
        if host == "area.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    try:
        doc = refs.fetch_reference({"href": f"http://area.example:{port}/a.json"}, True,
                                   json.loads)
    finally:
        httpd.shutdown()
    assert doc["type"] == "Polygon" and hosts == [f"area.example:{port}"]
    # without the operator's leave, an answer off the public Internet is refused
    with pytest.raises(InvalidInput, match="private network"):
        refs.fetch_reference({"href": "http://area.example/a.json"}, False, json.loads)
