"""The prize draw, as a function anyone can re-run: no Django, no database, no randomness
beyond the seed.

Before the draw the page shows SHA-256(seed) (the seed is chosen when the quiz is set up, so
it cannot be picked after seeing the entries); after it, the seed. With the seed and the
published list of qualified entries (entry codes in the order given, ascending entry number),
`draw_winners` gives the winners:

    remaining = list(codes)
    for i in range(prizes):
        h = sha256(f"{seed}:{i}".encode()).hexdigest()
        winner = remaining.pop(int(h, 16) % len(remaining))

The same twelve lines are on the draw's page, to be copied and run.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence


def seed_new() -> str:
    return secrets.token_hex(32)


def seed_hash(seed: str) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()


def draw_winners(seed: str, codes: Sequence[str], prizes: int) -> list[str]:
    remaining = list(codes)
    winners: list[str] = []
    for i in range(min(prizes, len(remaining))):
        h = hashlib.sha256(f"{seed}:{i}".encode()).hexdigest()
        winners.append(remaining.pop(int(h, 16) % len(remaining)))
    return winners


CHECK_SCRIPT = """import hashlib

seed = "SEED"
codes = CODES  # the qualified entries, in the published order
prizes = PRIZES

remaining = list(codes)
for i in range(min(prizes, len(remaining))):
    h = hashlib.sha256(f"{seed}:{i}".encode()).hexdigest()
    print(remaining.pop(int(h, 16) % len(remaining)))
"""


def check_script(seed: str, codes: Sequence[str], prizes: int) -> str:
    """The program the draw's page shows: run it with Python 3 to get the same winners."""
    return (
        CHECK_SCRIPT.replace("SEED", seed)
        .replace("CODES", repr(list(codes)))
        .replace("PRIZES", str(prizes))
    )
