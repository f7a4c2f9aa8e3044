"""Pairing: the teacher's and the student's rows on the items both have, task by task.

Rows pair by (task, item_id, sample). Items one model has and the other lacks
are counted per task and reported, never dropped silently. Several samples of
one item, or records sharing a ``cluster``, form the clusters the bootstrap
resamples together.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from dls.evidence.records import Evidence, Key, Side


@dataclass
class Paired:
    """Teacher and student values on the items both have, in the same row order."""

    task: str
    teacher: Side
    student: Side
    keys: list[Key]
    clusters: npt.NDArray[np.intp] | None
    unpaired: dict[str, int]
    samples: bool  # some item has more than one sample

    @property
    def n(self) -> int:
        return len(self.keys)

    def groups(self) -> tuple[npt.NDArray[np.intp], int]:
        """Row -> item group (task, item_id) codes, and the number of groups."""
        codes: dict[tuple[str, str], int] = {}
        g = np.array([codes.setdefault((k[0], k[1]), len(codes)) for k in self.keys], dtype=np.intp)
        return g, len(codes)


def pair(ev: Evidence) -> list[Paired]:
    """Pair rows by (task, item_id, sample), task by task; count what has no partner."""
    t_index = {k: i for i, k in enumerate(ev.keys["teacher"])}
    s_keys = ev.keys["student"]
    by_task: dict[str, tuple[list[int], list[int]]] = {}
    unpaired_s: dict[str, int] = {}
    for j, k in enumerate(s_keys):
        i = t_index.pop(k, None)
        if i is None:
            unpaired_s[k[0]] = unpaired_s.get(k[0], 0) + 1
            continue
        ti, si = by_task.setdefault(k[0], ([], []))
        ti.append(i)
        si.append(j)
    unpaired_t: dict[str, int] = {}
    for k in t_index:
        unpaired_t[k[0]] = unpaired_t.get(k[0], 0) + 1
    out = []
    tasks = sorted(set(by_task) | set(unpaired_t) | set(unpaired_s))
    for task in tasks:
        ti, si = by_task.get(task, ([], []))
        tidx, sidx = np.array(ti, dtype=np.intp), np.array(si, dtype=np.intp)
        keys = [ev.keys["teacher"][i] for i in ti]
        out.append(
            Paired(
                task=task,
                teacher=ev.sides["teacher"].take(tidx),
                student=ev.sides["student"].take(sidx),
                keys=keys,
                clusters=_clusters(ev, ti, si, keys),
                unpaired={"teacher": unpaired_t.get(task, 0), "student": unpaired_s.get(task, 0)},
                samples=any(k[2] != 0 for k in keys),
            )
        )
    return out


def _clusters(
    ev: Evidence, ti: list[int], si: list[int], keys: list[Key]
) -> npt.NDArray[np.intp] | None:
    """Cluster codes for the bootstrap: the records' ``cluster`` or, for several samples
    per item, the item itself; None when every row is its own unit."""
    tc, sc = ev.clusters["teacher"], ev.clusters["student"]
    labels: list[str | None] = [
        tc[i] if tc[i] is not None else sc[j] for i, j in zip(ti, si, strict=True)
    ]
    multi = any(k[2] != 0 for k in keys)
    if all(lab is None for lab in labels) and not multi:
        return None
    codes: dict[str, int] = {}
    out = [
        codes.setdefault(lab if lab is not None else f"\x00{k[0]}\x00{k[1]}", len(codes))
        for lab, k in zip(labels, keys, strict=True)
    ]
    return np.array(out, dtype=np.intp)
