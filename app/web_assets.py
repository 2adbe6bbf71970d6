"""The web app and GraphiQL, as built by `make web` (web/dist): served by `paliapi serve`.

The API never needs Node: without a build, `/` is not mounted and `GET /graphql` in a browser
gets a small query page of its own (no CDN, no scripts from elsewhere) that says how to build
the full GraphiQL.
"""

from __future__ import annotations

from pathlib import Path

from app.settings import Settings

SOURCE_BUILD = Path(__file__).resolve().parent.parent / "web" / "dist"


def built_web_dir(settings: Settings) -> Path | None:
    """The web build to serve (PALIAPI_WEB_DIR, else web/dist), or None when there is none."""
    directory = settings.web_dir or SOURCE_BUILD
    return directory if (directory / "index.html").is_file() else None


def graphiql_page(web_dir: Path | None) -> str:
    """The GraphiQL page of the web build, else the fallback query page."""
    if web_dir is not None and (web_dir / "graphiql.html").is_file():
        return (web_dir / "graphiql.html").read_text()
    return FALLBACK_PAGE


# Inline and self-contained on purpose: it must work on a machine with no internet and no
# web build. The token is read as the web app stores it, or from `#token=` in the URL.
FALLBACK_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>PaliAPI GraphQL (graphiql not built)</title>
<style>
body { font: 15px system-ui, sans-serif; margin: 1.5rem; max-width: 60rem; }
textarea, input { width: 100%; font: 14px ui-monospace, monospace; box-sizing: border-box; }
pre { background: #f4f4f4; padding: 1rem; overflow: auto; }
</style></head>
<body>
<h1>PaliAPI GraphQL</h1>
<p>The full GraphiQL explorer is part of the web build, which is not built here: run
<code>make web</code> (needs Node 20) and restart the server. Meanwhile, this page sends
queries to <code>/graphql</code>.</p>
<label for="token">Token (sent as <code>Authorization: Bearer</code>)</label>
<input id="token" autocomplete="off">
<label for="query">Query</label>
<textarea id="query" rows="10">{ me { name } }</textarea>
<label for="variables">Variables (JSON)</label>
<textarea id="variables" rows="3">{}</textarea>
<p><button id="run" type="button">Run</button></p>
<pre id="result" aria-live="polite"></pre>
<script>
const token = document.getElementById("token");
const fromHash = new URLSearchParams(location.hash.slice(1)).get("token");
if (fromHash) history.replaceState(null, "", location.pathname);
token.value = fromHash || localStorage.getItem("paliapi.token") ||
  sessionStorage.getItem("paliapi.token") || "";
document.getElementById("run").addEventListener("click", async () => {
  const out = document.getElementById("result");
  try {
    const response = await fetch("/graphql", {
      method: "POST",
      headers: { "Content-Type": "application/json",
                 ...(token.value ? { Authorization: "Bearer " + token.value } : {}) },
      body: JSON.stringify({
        query: document.getElementById("query").value,
        variables: JSON.parse(document.getElementById("variables").value || "{}"),
      }),
    });
    out.textContent = JSON.stringify(await response.json(), null, 2);
  } catch (error) { out.textContent = String(error); }
});
</script>
</body></html>
"""
