"""Authoring help: statement skeletons, bundled schemas, explanations, diffs.

These are the library functions behind ``dls init``, ``dls schema``,
``dls explain`` and ``dls diff``; the click commands in ``dls.cli.authoring``
only parse options and print what these return.
"""
