"""A standard OGC API - Processes 1.0 client in a few lines of `requests`,
knowing nothing of Chaînon: execute, follow Location, poll, fetch results."""
import time

import requests

TERMINAL = ("successful", "failed", "dismissed")


class OgcClient:
    def __init__(self, url, token=None):
        self.url = url.rstrip("/")
        self.session = requests.Session()
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def get(self, path, **kwargs):
        return self.session.get(path if path.startswith("http") else self.url + path,
                                timeout=30, **kwargs)

    def execute(self, process_id, inputs):
        """201 + Location expected; returns the response."""
        return self.session.post(f"{self.url}/processes/{process_id}/execution",
                                 json={"inputs": inputs}, timeout=30,
                                 headers={"Prefer": "respond-async"})

    def submit(self, process_id, inputs):
        resp = self.execute(process_id, inputs)
        assert resp.status_code == 201, resp.text
        return resp.headers["Location"]

    def wait(self, location, timeout=120, until=TERMINAL, seen=None):
        """Polls the job until its status is in `until`; `seen` collects
        every status document."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            doc = self.get(location).json()
            if seen is not None:
                seen.append(doc)
            if doc["status"] in until:
                return doc
            time.sleep(0.3)
        raise TimeoutError(f"job still {doc['status']} after {timeout} s: {doc}")

    def results(self, location):
        return self.get(location + "/results")
