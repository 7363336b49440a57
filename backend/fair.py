"""Fair sharing of the cluster between users. The runner hands Dask only as
many tiles as it has threads; when a thread frees, the next tile comes from
the waiting user with the fewest tiles running (ties: who waited longest),
so a user's 1-tile job does not queue behind another user's France-wide one.
A user may also be capped to a number of running tiles."""
import itertools
import threading
import time
from collections import Counter


class FairGate:
    def __init__(self, slots, per_user=0, refresh=2.0):
        """slots(): how many tiles may run at once (read again every
        `refresh` s: a remote cluster grows and shrinks)."""
        self._slots_fn, self.per_user, self.refresh = slots, per_user, refresh
        self._slots, self._slots_at = 1, -1e9
        self.running = Counter()            # user -> tiles handed to Dask
        self._served = {}                   # user -> when last given a slot
        self._serial = itertools.count()
        self._waiting = {}                  # ticket -> user
        self._tickets = itertools.count()
        self._cond = threading.Condition()

    def acquire(self, user, idle=lambda: False, poll=0.2):
        """Blocks until `user` may start one more tile; True then. Calls
        idle() every `poll` s while waiting, and gives up (False) when it
        returns True (the job was cancelled)."""
        with self._cond:
            ticket = next(self._tickets)
            self._waiting[ticket] = user
        try:
            while True:
                capacity = self._capacity()     # may ask the scheduler: not under the lock
                with self._cond:
                    if self._turn(ticket, user, capacity):
                        self.running[user] += 1
                        self._served[user] = next(self._serial)
                        return True
                    self._cond.wait(poll)
                if idle():
                    return False
        finally:
            with self._cond:
                del self._waiting[ticket]
                self._cond.notify_all()

    def release(self, user):
        with self._cond:
            self.running[user] -= 1
            if self.running[user] <= 0:
                del self.running[user]
            self._cond.notify_all()

    def _capped(self, user):
        return self.per_user and self.running[user] >= self.per_user

    def _turn(self, ticket, user, capacity):
        if sum(self.running.values()) >= capacity or self._capped(user):
            return False
        # Waiting users not at their cap: the fewest running, then round robin.
        first = min((self.running[u], self._served.get(u, -1), t)
                    for t, u in self._waiting.items() if not self._capped(u))
        return first[2] == ticket

    def _capacity(self):
        if time.monotonic() - self._slots_at > self.refresh:
            try:
                self._slots = max(1, int(self._slots_fn()))
            except Exception:           # the scheduler briefly unreachable: keep the last
                pass
            self._slots_at = time.monotonic()
        return self._slots
