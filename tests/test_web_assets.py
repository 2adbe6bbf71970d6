"""The web build at `/` and its GraphiQL at `GET /graphql`; without a build, a fallback page
that works offline. The API's own routes stay as they are either way."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.main import create_app
from app.settings import settings
from app.web_assets import FALLBACK_PAGE, built_web_dir, graphiql_page
from tests.conftest import serve_in_thread

HTML = {"Accept": "text/html"}


@contextlib.contextmanager
def api_with_web_dir(database_url: str, web_dir: Path) -> Iterator[str]:
    with contextlib.ExitStack() as running:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(settings, "web_dir", web_dir)
            patch.setattr(settings, "embeddings_preload", False)
            app = create_app(database_url, worker=False)
            url = running.enter_context(serve_in_thread(app))
        yield url


def test_the_fallback_page_loads_nothing_from_elsewhere() -> None:
    assert graphiql_page(None) == FALLBACK_PAGE
    assert "make web" in FALLBACK_PAGE
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", FALLBACK_PAGE)


def test_a_build_is_served_at_the_root_and_its_graphiql_at_graphql(
    database_url: str, tmp_path: Path
) -> None:
    (tmp_path / "index.html").write_text("<p>the app</p>")
    (tmp_path / "graphiql.html").write_text("<p>bundled graphiql</p>")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "app.js").write_text("console.log(1)")
    with api_with_web_dir(database_url, tmp_path) as url:
        assert httpx.get(f"{url}/").text == "<p>the app</p>"
        assert httpx.get(f"{url}/assets/app.js").text == "console.log(1)"
        assert httpx.get(f"{url}/graphql", headers=HTML).text == "<p>bundled graphiql</p>"
        assert httpx.get(f"{url}/healthz").json()["database"] == "ok"
        assert httpx.get(f"{url}/pages/1/image").status_code == 401
        assert "text/plain" in httpx.get(f"{url}/metrics").headers["content-type"]


def test_without_a_build_the_api_still_serves(database_url: str, tmp_path: Path) -> None:
    assert built_web_dir(settings.model_copy(update={"web_dir": tmp_path})) is None
    with api_with_web_dir(database_url, tmp_path) as url:
        assert httpx.get(f"{url}/").status_code == 404
        page = httpx.get(f"{url}/graphql", headers=HTML)
        assert page.status_code == 200 and page.text == FALLBACK_PAGE
        assert "unpkg" not in page.text
