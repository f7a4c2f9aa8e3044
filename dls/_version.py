"""The package version (not the statement format version, see dls.schemas)."""

__version__ = "0.1.0"
