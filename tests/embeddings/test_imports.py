"""The API's base install never needs torch: importing it and the remote clients loads none."""

from __future__ import annotations

import subprocess
import sys


def test_api_and_remote_backends_do_not_import_torch() -> None:
    code = (
        "import sys\n"
        "import app.main, app.embeddings.http, app.embeddings.modal, app.embeddings.factory\n"
        "from app.embeddings.factory import make_embedder\n"
        "from app.settings import Settings\n"
        "make_embedder(Settings(EMBEDDINGS_BACKEND='http', EMBEDDINGS_URL='http://x'))\n"
        "make_embedder(Settings(EMBEDDINGS_BACKEND='local'))\n"
        "heavy = sorted(m for m in ('torch', 'transformers', 'colpali_engine', 'modal') if m in sys.modules)\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
