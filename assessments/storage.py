"""Stored files checked against the fingerprint recorded when they were written."""

import hashlib


def sha256_of(fieldfile) -> str:
    """The SHA-256 of a stored file, read in 64 KB pieces; OSError (or ValueError) when it is gone."""
    digest = hashlib.sha256()
    with fieldfile.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()
