"""Put the statement's section into an existing model card, between markers.

The section sits between two lines::

    <!-- dls:begin -->
    ...
    <!-- dls:end -->

Everything outside them is kept byte for byte: the card is handled as bytes,
never decoded and re-encoded, and the section uses the card's own line ending
(``\\n``, ``\\r\\n``, even the ``\\r\\r\\n`` some Hub cards carry). Without markers
the section is appended at the end of the card after a blank line. Running it
again replaces the section with the same bytes, so it is idempotent. A card
whose markers are malformed (one missing, duplicated, reversed, or not alone on
their line) is refused with MarkerError rather than guessed at. Writes go to a
temporary file in the same folder, then replace the target in one rename.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from dls.errors import InputError
from dls.files import write_atomic

BEGIN = "<!-- dls:begin -->"
END = "<!-- dls:end -->"
_MENTION = re.compile(rb"<!--\s*dls:(begin|end)", re.IGNORECASE)


class MarkerError(InputError):
    """A card's dls markers are malformed, so dls cannot tell where its section is."""


@dataclass(frozen=True, slots=True)
class _Line:
    number: int
    start: int  # offset of the line's first byte
    end: int  # offset just past its line ending
    content: bytes  # without the line ending


def _lines(data: bytes) -> list[_Line]:
    out, pos, number = [], 0, 1
    while pos < len(data):
        nl = data.find(b"\n", pos)
        stop = len(data) if nl < 0 else nl + 1
        content = data[pos:stop].rstrip(b"\r\n")
        out.append(_Line(number, pos, stop, content))
        pos, number = stop, number + 1
    return out


def newline_of(data: bytes) -> bytes:
    """The card's most frequent line ending (``\\n`` for a card without any)."""
    counts: dict[bytes, int] = {}
    for m in re.finditer(rb"\r*\n", data):
        counts[m.group(0)] = counts.get(m.group(0), 0) + 1
    if not counts:
        return b"\n"
    return max(counts.items(), key=lambda kv: (kv[1], -len(kv[0])))[0]


def _markers(data: bytes, card: str) -> tuple[_Line, _Line] | None:
    begins: list[_Line] = []
    ends: list[_Line] = []
    for line in _lines(data):
        found = _MENTION.search(line.content)
        if found is None:
            continue
        kind = found.group(1).lower().decode()
        exact = line.content.strip() == (BEGIN if kind == "begin" else END).encode()
        if not exact:
            raise MarkerError(
                f"{card}:{line.number}: malformed dls marker: "
                f"{line.content.strip().decode('utf-8', 'replace')!r}",
                hint=f"the markers are the lines {BEGIN} and {END}, each alone on its line",
            )
        (begins if kind == "begin" else ends).append(line)
    if not begins and not ends:
        return None
    hint = f"keep exactly one {BEGIN} line followed by one {END} line, or remove both"
    if len(begins) > 1 or len(ends) > 1:
        many = begins if len(begins) > 1 else ends
        which = "begin" if len(begins) > 1 else "end"
        at = ", ".join(str(m.number) for m in many)
        raise MarkerError(f"{card}: {len(many)} dls:{which} markers (lines {at})", hint=hint)
    if not ends:
        raise MarkerError(
            f"{card}:{begins[0].number}: dls:begin marker without a dls:end marker", hint=hint
        )
    if not begins:
        raise MarkerError(
            f"{card}:{ends[0].number}: dls:end marker without a dls:begin marker", hint=hint
        )
    if ends[0].number < begins[0].number:
        raise MarkerError(
            f"{card}:{ends[0].number}: dls:end marker comes before the dls:begin marker "
            f"(line {begins[0].number})",
            hint=hint,
        )
    return begins[0], ends[0]


def splice(card: bytes, section: str, name: str = "card") -> bytes:
    """``card`` with ``section`` between its markers (appended with markers when absent)."""
    nl = newline_of(card)
    body = section.replace("\r\n", "\n").strip("\n")
    inner = nl + nl.join(line.encode("utf-8") for line in body.split("\n")) + nl + nl
    found = _markers(card, name)
    if found is not None:
        begin, end = found
        return card[: begin.end] + inner + card[end.start :]
    if not card:
        return BEGIN.encode() + nl + inner + END.encode() + nl
    tail = b"" if card.endswith(b"\n") else nl
    return card + tail + nl + BEGIN.encode() + nl + inner + END.encode() + nl


def into_card(card: Path, section: str, output: Path | None = None) -> bool:
    """Insert or replace the section in ``card``; write to ``output`` or the card itself.

    Returns whether the written file changed. The caller decides whether
    ``output`` may be overwritten.
    """
    try:
        data = card.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {card}: {exc.strerror or exc}") from exc
    new = splice(data, section, str(card))
    target = output or card
    try:
        old = target.read_bytes() if target.exists() else None
    except OSError:
        old = None
    if old == new:
        return False
    write_atomic(target, new)
    return True
