"""Limits on failed sign-ins and bad API tokens, counted in this server process's memory.

Rules (docs/security.md):
- per login name: 5 failed sign-ins within 15 minutes, then that name is refused until the
  15 minutes are over; a successful sign-in clears the name's count;
- per client address: 20 failed sign-ins within 15 minutes (any names), then that address is
  refused the same way — this stops one client trying many names;
- per client address: 20 requests with a bad API token within 15 minutes, then every bearer
  request from that address is refused, before any token is looked up.

Windows slide: a key is refused while its last `limit` failures all lie within the past 15
minutes, i.e. until the oldest of them is 15 minutes old; refusals are not failures and do not
extend the wait. An attempt is counted as a failure when it *starts* (and given
back if it succeeds), so parallel guesses cannot all slip past the check while the slow password
hash of the first one is still running.

Why memory and not a table: the deployment is one server process; counters that matter for 15
minutes do not deserve a write per failed attempt and a migration. A restart forgets them, which
only gives an attacker a fresh 5 tries per name after each restart. Several server processes
would each count on their own (so the limits would multiply by the number of processes).
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

NAME_LIMIT = 5
ADDRESS_LIMIT = 20
TOKEN_ADDRESS_LIMIT = 20
WINDOW_SECONDS = 15 * 60

# Windows that have ended are dropped once this many keys are held, so a flood of made-up
# names cannot grow the counters without bound (each key is a few dozen bytes).
PRUNE_AT = 10_000

Clock = Callable[[], float]


class FailureCounter:
    """The failure times per key within the last `window` seconds; at `limit` of them the key is refused.

    A sliding window: a key is refused while `limit` failures lie within the last `window`
    seconds, i.e. until the oldest of them is `window` seconds old. So no key ever gets more than
    `limit` failures within any `window` seconds (a fixed window would allow twice that across
    its boundary). Only the newest `limit` times are kept per key.

    Not thread-safe on its own: `SignInLimits` holds one lock around every use.
    """

    def __init__(self, limit: int, window: float, clock: Clock):
        if limit < 1 or window <= 0:
            raise ValueError("limit must be ≥ 1 and window > 0")
        self.limit = limit
        self.window = window
        self.clock = clock
        self._times: dict[str, deque[float]] = {}

    def _current(self, key: str, now: float) -> deque[float] | None:
        times = self._times.get(key)
        if times is None:
            return None
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self._times[key]
            return None
        return times

    def retry_after(self, key: str, now: float) -> int | None:
        """Whole seconds until `key` may try again, or None when it may try now."""
        times = self._current(key, now)
        if times is None or len(times) < self.limit:
            return None
        return max(1, math.ceil(times[0] + self.window - now))

    def failures(self, key: str) -> int:
        times = self._current(key, self.clock())
        return len(times) if times else 0

    def add(self, key: str, now: float) -> None:
        times = self._current(key, now)
        if times is None:
            if len(self._times) >= PRUNE_AT:
                self._prune(now)
            times = self._times[key] = deque(maxlen=self.limit)
        times.append(now)

    def give_back(self, key: str, at: float) -> None:
        """Undo the provisional failure counted at `at` (the attempt succeeded)."""
        times = self._times.get(key)
        if times is None:
            return
        try:
            times.remove(at)
        except ValueError:
            return  # already pushed out by newer failures or expired
        if not times:
            del self._times[key]

    def clear(self, key: str) -> None:
        self._times.pop(key, None)

    def __len__(self) -> int:
        return len(self._times)

    def _prune(self, now: float) -> None:
        for key in [k for k, t in self._times.items() if not t or t[-1] <= now - self.window]:
            del self._times[key]


@dataclass(frozen=True)
class Refusal:
    """Why an attempt is refused and for how long (seconds, for the Retry-After header)."""

    retry_after: int
    reason: str  # "login" or "address" (for the log; the user sees one message for both)

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / 60))


@dataclass(frozen=True)
class Attempt:
    """A sign-in in progress, already counted as a failure; `succeeded()` gives it back."""

    name: str
    address: str
    at: float  # when it was counted (to give back exactly this one)


def _name_key(login: str) -> str:
    # Logins are matched exactly when signing in, but "Admin" and "admin " are guesses at the
    # same account: count them together.
    return (login or "").strip().casefold()


class SignInLimits:
    """The counters of one web app (app.state.signin_limits). `clock` is injectable for tests."""

    def __init__(self, clock: Clock = time.monotonic, *, name_limit: int = NAME_LIMIT,
                 address_limit: int = ADDRESS_LIMIT, token_address_limit: int = TOKEN_ADDRESS_LIMIT,
                 window: float = WINDOW_SECONDS):
        self.clock = clock
        self.window = window
        self._lock = threading.Lock()
        self.names = FailureCounter(name_limit, window, clock)
        self.addresses = FailureCounter(address_limit, window, clock)
        self.token_addresses = FailureCounter(token_address_limit, window, clock)

    # -- sign-in ---------------------------------------------------------------------------------

    def begin(self, login: str, address: str) -> Attempt | Refusal:
        """Refuse the attempt, or count it as a failure until `succeeded()` says otherwise."""
        name = _name_key(login)
        with self._lock:
            now = self.clock()
            by_name = self.names.retry_after(name, now)
            by_address = self.addresses.retry_after(address, now)
            if by_name is not None or by_address is not None:
                if (by_name or 0) >= (by_address or 0):
                    return Refusal(by_name, "login")
                return Refusal(by_address, "address")
            self.names.add(name, now)
            self.addresses.add(address, now)
        return Attempt(name, address, now)

    def succeeded(self, attempt: Attempt) -> None:
        """The password was right: the name starts afresh; the address keeps its earlier failures."""
        with self._lock:
            self.names.clear(attempt.name)
            self.addresses.give_back(attempt.address, attempt.at)

    # -- API tokens ------------------------------------------------------------------------------

    def token_refusal(self, address: str) -> Refusal | None:
        with self._lock:
            seconds = self.token_addresses.retry_after(address, self.clock())
        return None if seconds is None else Refusal(seconds, "token")

    def token_failed(self, address: str) -> None:
        with self._lock:
            self.token_addresses.add(address, self.clock())
