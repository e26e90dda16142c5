"""Rate limits for class mode: a token bucket per student seat and per browser session.

A phone that sends a message many times a second is either broken or hostile; either way the
room must stay usable for everyone else. A bucket holds up to `burst` tokens and gains `rate`
tokens a second; each message takes one, and a message that finds the bucket empty is refused
(and nothing of it is stored). The clock is a parameter, so a test can drive time instead of
sleeping.
"""

from __future__ import annotations

import time
from collections.abc import Callable

Clock = Callable[[], float]


class Bucket:
    """A token bucket: `burst` messages at once, then `rate` a second."""

    __slots__ = ("rate", "burst", "tokens", "last", "clock")

    def __init__(self, rate: float, burst: float, clock: Clock = time.monotonic) -> None:
        self.rate = float(rate)
        self.burst = float(burst)
        self.tokens = float(burst)
        self.clock = clock
        self.last = clock()

    def take(self) -> bool:
        """Take one token if there is one; False (and nothing taken) if the bucket is empty."""
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens < 1.0:
            return False
        self.tokens -= 1.0
        return True

    def wait(self) -> float:
        """Seconds until the next token (0 when one is there)."""
        return max(0.0, (1.0 - self.tokens) / self.rate) if self.rate > 0 else float("inf")


class Buckets:
    """One bucket per caller (a browser session's id), at most `most` callers remembered.

    The oldest caller is forgotten first when the table is full, so a flood of new sessions
    cannot grow memory without bound; a forgotten caller starts again with a full bucket,
    which costs an attacker more sessions than it gains them.
    """

    def __init__(self, rate: float, burst: float, most: int = 10_000,
                 clock: Clock = time.monotonic) -> None:
        self.rate, self.burst, self.most, self.clock = rate, burst, most, clock
        self.buckets: dict[str, Bucket] = {}

    def take(self, caller: str) -> bool:
        bucket = self.buckets.pop(caller, None)
        if bucket is None:
            bucket = Bucket(self.rate, self.burst, self.clock)
            while len(self.buckets) >= self.most:
                self.buckets.pop(next(iter(self.buckets)))
        self.buckets[caller] = bucket  # most recent last
        return bucket.take()

    def wait(self, caller: str) -> float:
        bucket = self.buckets.get(caller)
        return bucket.wait() if bucket is not None else 0.0
