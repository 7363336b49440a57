"""A small time-limited cache for the hot reads of polling clients (who a
token is, a job's status): at most one store read per key and `ttl`
seconds, however many clients poll. Used from the event loop only."""
import time

MISSING = object()


class TTLCache:
    def __init__(self, ttl, size=10_000):
        self.ttl, self.size, self._data = ttl, size, {}

    def get(self, key):
        hit = self._data.get(key)
        if hit is None or hit[0] < time.monotonic():
            return MISSING
        return hit[1]

    def put(self, key, value):
        if len(self._data) >= self.size:        # bounded: forged tokens cannot fill memory
            self._data.clear()
        self._data[key] = (time.monotonic() + self.ttl, value)

    def drop(self, key):
        self._data.pop(key, None)
