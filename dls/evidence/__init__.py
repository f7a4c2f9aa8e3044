"""Computing statements from evidence: per-item records, metrics, paired statistics.

This package is the only place that imports numpy, and only when its modules
are used: ``dls validate`` never pays for it. The pipeline is
records (stream, check, pair) -> metrics (teacher and student values on the
paired items) -> stats (paired bootstrap, McNemar, MDE) -> findings.
"""
