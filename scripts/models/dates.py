"""Synthetic date-normalisation data: many English spellings of a date -> ISO 8601 (YYYY-MM-DD)."""
import datetime
import random

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


FORMATS = [
    lambda d: f"{ordinal(d.day)} of {MONTHS[d.month - 1]} {d.year}",
    lambda d: f"the {ordinal(d.day)} of {MONTHS[d.month - 1].lower()} {d.year}",
    lambda d: f"{d.day} {MONTHS[d.month - 1]} {d.year}",
    lambda d: f"{MONTHS[d.month - 1]} {d.day}, {d.year}",
    lambda d: f"{MONTHS[d.month - 1]} {ordinal(d.day)} {d.year}",
    lambda d: f"{MONTHS[d.month - 1][:3]} {d.day} {d.year}",
    lambda d: f"{d.day}-{MONTHS[d.month - 1][:3]}-{d.year}",
    lambda d: f"{d.day:02d}.{d.month:02d}.{d.year}",
    lambda d: f"{d.year}/{d.month}/{d.day}",
    lambda d: f"{DAYS[d.weekday()]}, {MONTHS[d.month - 1]} {d.day}, {d.year}",
    lambda d: f"{DAYS[d.weekday()][:3]} {d.day} {MONTHS[d.month - 1][:3].lower()} {d.year}",
    lambda d: f"{MONTHS[d.month - 1].upper()} {d.day} {d.year}",
]
START = datetime.date(1900, 1, 1)
SPAN = (datetime.date(2099, 12, 31) - START).days


def example(rng: random.Random) -> tuple:
    d = START + datetime.timedelta(days=rng.randrange(SPAN + 1))
    return rng.choice(FORMATS)(d), d.isoformat()


def alphabet() -> list:
    chars = set("0123456789-")
    for m in MONTHS + DAYS:
        chars |= set(m) | set(m.lower()) | set(m.upper())
    chars |= set(" ,./-") | set("stndrdthof")
    return sorted(chars)
