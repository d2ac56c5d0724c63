"""Content-Security-Policy hashes for the self-contained HTML pages (chart, timeline).

Both pages inline their script and style and forbid everything else (``default-src 'none'``),
so a browser runs only the exact code toex wrote: each inline block is allowed by its hash.
"""

from __future__ import annotations

import base64
import hashlib


def csp_hash(text: str) -> str:
    """The CSP source expression allowing exactly this inline script/style: ``'sha256-...'``."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"
