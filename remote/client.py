"""A small OGC API - Processes 1.0 client over QGIS' network stack (proxies,
SSL settings and timeouts as the user configured QGIS). Short calls only:
a job is followed by polling, never by one long request."""
import json
import time
from urllib.parse import urlsplit

from qgis.core import QgsBlockingNetworkRequest
from qgis.PyQt.QtCore import QByteArray, QUrl
from qgis.PyQt.QtNetwork import QNetworkRequest

FINAL = {"successful", "failed", "dismissed"}
LOOPBACK = {"localhost", "127.0.0.1", "::1"}


def _origin(url):
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), parts.port or default


def carries_token(base_url, url):
    """The token goes to the service's own origin only (a link to another
    host never gets it)."""
    return _origin(url) == _origin(base_url)


def in_clear_over_network(base_url):
    """True for an http:// service on another computer: a token sent there
    would cross the network unencrypted."""
    scheme, host, _ = _origin(base_url)
    return scheme != "https" and host not in LOOPBACK


class ServiceError(Exception):
    """The service answered with an error, or could not be reached."""

    def __init__(self, message, status=None):
        super().__init__(message)
        self.status = status


class ProcessesClient:
    def __init__(self, base_url, token=None):
        self.base_url = base_url.rstrip("/")
        self.token = token

    # --- OGC API - Processes ---------------------------------------------
    def processes(self):
        return self._call("GET", "/processes")["processes"]

    def process(self, process_id):
        return self._call("GET", f"/processes/{process_id}")

    def execute(self, process_id, inputs):
        """Submits an asynchronous job; returns its statusInfo."""
        return self._call("POST", f"/processes/{process_id}/execution", {"inputs": inputs},
                          {"Prefer": "respond-async"})

    def job(self, job_id):
        return self._call("GET", f"/jobs/{job_id}")

    def jobs(self):
        return self._call("GET", "/jobs")["jobs"]

    def results(self, job_id):
        return self._call("GET", f"/jobs/{job_id}/results")

    def dismiss(self, job_id):
        return self._call("DELETE", f"/jobs/{job_id}")

    def document(self, href):
        """A JSON document the service links to, e.g. a job's STAC collection."""
        return self._call("GET", href)

    def token_for(self, url):
        """The token for a request to `url`, or None when it must not go there."""
        return self.token if self.token and carries_token(self.base_url, url) else None

    # --- transport -------------------------------------------------------
    def _call(self, method, path, body=None, headers=None):
        url = path if path.startswith("http") else self.base_url + path
        if self.token and in_clear_over_network(self.base_url):
            raise ServiceError(f"The compute centre address {self.base_url} is not encrypted: "
                               "your token would cross the network in clear. Use its "
                               "https:// address.")
        request = QNetworkRequest(QUrl(url))
        request.setRawHeader(b"Accept", b"application/json")
        token = self.token_for(url)
        auth = {"Authorization": f"Bearer {token}"} if token else {}
        for key, value in {**auth, **(headers or {})}.items():
            request.setRawHeader(key.encode(), value.encode())
        blocking = QgsBlockingNetworkRequest()
        if method == "GET":
            error = blocking.get(request, True)
        elif method == "DELETE":
            error = blocking.deleteResource(request)
        else:
            request.setHeader(QNetworkRequest.KnownHeaders.ContentTypeHeader, "application/json")
            error = blocking.post(request, QByteArray(json.dumps(body).encode()))
        reply = blocking.reply()
        status = reply.attribute(QNetworkRequest.Attribute.HttpStatusCodeAttribute)
        text = bytes(reply.content()).decode("utf-8", "replace")
        if status is None:
            raise ServiceError(f"Cannot reach the compute centre at {self.base_url}: "
                               f"{blocking.errorMessage()}")
        payload = _json(text)
        if error != QgsBlockingNetworkRequest.ErrorCode.NoError or status >= 400:
            detail = payload.get("detail") or payload.get("description") or text[:300]
            raise ServiceError(f"The compute centre answered {status}: {detail}", status)
        return payload


def _json(text):
    try:
        return json.loads(text) if text else {}
    except ValueError:
        return {}


def backoff(start=1.0, factor=1.5, maximum=15.0):
    """Polling intervals: quick at first, then every `maximum` seconds."""
    delay = start
    while True:
        yield delay
        delay = min(maximum, delay * factor)


def follow(client, job_id, progress, sleep=time.sleep):
    """Polls a job until it ends; dismisses it when the user cancels.
    `progress` is a core.blocks.Progress; returns the final statusInfo."""
    from ..core.errors import Cancelled
    for delay in backoff():
        status = client.job(job_id)
        progress.percent(status.get("progress") or 0)
        if status.get("message"):
            progress.info(status["message"])
        if status["status"] in FINAL:
            return status
        waited = 0.0
        while waited < delay:      # short sleeps so cancel is honoured quickly
            try:
                progress.check()
            except Cancelled:
                client.dismiss(job_id)
                raise
            sleep(0.2)
            waited += 0.2
