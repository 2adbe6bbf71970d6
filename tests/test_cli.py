"""The command line: users and tokens, migrate, schema; and `paliapi serve` as a real process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.settings import settings
from tests.conftest import _free_port

runner = CliRunner()


@pytest.fixture
def cli_db(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(settings, "database_url", database_url)
    return database_url


def test_users_create_token_list(cli_db: str, http: httpx.Client) -> None:
    created = runner.invoke(cli, ["users", "create", "carol", "--admin"])
    assert created.exit_code == 0, created.output
    token = created.output.strip().splitlines()[-1]
    assert token.startswith("pali_")

    def me(token: str) -> dict[str, object]:
        body: dict[str, object] = http.post(
            "/graphql",
            json={"query": "{ me { name isAdmin } }"},
            headers={"Authorization": f"Bearer {token}"},
        ).json()
        return body

    assert me(token)["data"] == {"me": {"name": "carol", "isAdmin": True}}

    rotated = runner.invoke(cli, ["users", "token", "carol"])
    assert rotated.exit_code == 0, rotated.output
    new_token = rotated.output.strip().splitlines()[-1]
    assert new_token != token
    assert me(new_token)["data"] == {"me": {"name": "carol", "isAdmin": True}}
    assert me(token)["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"  # type: ignore[index]

    listed = runner.invoke(cli, ["users", "list"])
    assert listed.exit_code == 0 and "carol" in listed.output and token not in listed.output


def test_cli_errors_are_messages_not_tracebacks(cli_db: str) -> None:
    assert runner.invoke(cli, ["users", "create", "dave"]).exit_code == 0
    duplicate = runner.invoke(cli, ["users", "create", "dave"])
    assert duplicate.exit_code == 1 and "already exists" in duplicate.output
    missing = runner.invoke(cli, ["users", "token", "nobody"])
    assert missing.exit_code == 1 and "not found" in missing.output
    invalid = runner.invoke(cli, ["users", "create", "bad name!"])
    assert invalid.exit_code == 1 and "not valid" in invalid.output


def test_migrate_and_schema(cli_db: str) -> None:
    migrated = runner.invoke(cli, ["migrate"])
    assert migrated.exit_code == 0 and "up to date" in migrated.output
    exported = runner.invoke(cli, ["schema"])
    assert exported.exit_code == 0 and "type Query" in exported.output


def _paliapi(*args: str, env: dict[str, str]) -> list[str]:
    return [sys.executable, "-c", "from app.cli import main; main()", *args]


@pytest.fixture
def fresh_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PALIAPI_DATA_DIR"] = str(tmp_path / "data")
    return env


def _serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    log = Path(env["PALIAPI_DATA_DIR"]).parent / "serve.log"
    with log.open("ab") as out:
        return subprocess.Popen(
            _paliapi("serve", "--port", str(port), env=env),
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _wait_healthy(base: str, process: subprocess.Popen[bytes], env: dict[str, str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, (
            Path(env["PALIAPI_DATA_DIR"]).parent / "serve.log"
        ).read_text()
        try:
            if httpx.get(f"{base}/healthz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError("server did not become healthy")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGINT)
    process.wait(timeout=30)


def test_serve_on_the_embedded_default_keeps_data_across_restarts(
    fresh_env: dict[str, str],
) -> None:
    created = subprocess.run(
        _paliapi("users", "create", "erin", env=fresh_env),
        env=fresh_env,
        capture_output=True,
        check=True,
    )
    token = created.stdout.decode().strip().splitlines()[-1]
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"Bearer {token}"}
    create = 'mutation { createCollection(input: {name: "kept"}) { name } }'

    process = _serve(fresh_env, port)
    try:
        _wait_healthy(base, process, fresh_env)
        assert httpx.post(f"{base}/graphql", json={"query": create}, headers=headers).json()["data"]
    finally:
        _stop(process)

    process = _serve(fresh_env, port)
    try:
        _wait_healthy(base, process, fresh_env)
        body = httpx.post(
            f"{base}/graphql",
            json={"query": "{ me { name } collections { edges { node { name } } } }"},
            headers=headers,
        ).json()
        assert body["data"] == {
            "me": {"name": "erin"},
            "collections": {"edges": [{"node": {"name": "kept"}}]},
        }
    finally:
        _stop(process)
