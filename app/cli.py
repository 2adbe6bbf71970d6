"""`paliapi`: serve, migrate, and manage users and their tokens."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import migrate as migrations
from app.db.engine import Database, resolve_database_url
from app.errors import PaliError
from app.logs import configure_logging
from app.services import users as user_service
from app.settings import settings

T = TypeVar("T")

cli = typer.Typer(
    help="PaliAPI: page retrieval with late-interaction vision models.", no_args_is_help=True
)
users_cli = typer.Typer(help="Manage users and their API tokens.", no_args_is_help=True)
cli.add_typer(users_cli, name="users")
console = Console()


def _print_error(message: str) -> None:
    """`error: message` on one line whatever the terminal's width (scripts grep for it)."""
    console.print(f"[red]error:[/red] {escape(message)}", highlight=False, soft_wrap=True)


def _database_url() -> str:
    url = resolve_database_url(settings)
    migrations.upgrade(url)
    return url


def _in_transaction(work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    url = _database_url()

    async def run() -> T:
        db = Database(url, pool_size=1)
        try:
            async with db.transaction() as session:
                return await work(session)
        finally:
            await db.dispose()

    try:
        return asyncio.run(run())
    except PaliError as error:
        _print_error(error.message)
        raise typer.Exit(code=1) from error


@cli.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
) -> None:
    """Migrate the database, then serve the API."""
    import uvicorn

    from app.main import create_app

    configure_logging(level=settings.log_level, fmt=settings.log_format)
    # uvicorn's records go to the root logger (log_config=None); the access log is ours, with
    # the request id and the GraphQL operation.
    uvicorn.run(
        create_app(_database_url()),
        host=host,
        port=port,
        log_config=None,
        log_level=settings.log_level.lower(),
        access_log=False,
    )


@cli.command()
def worker() -> None:
    """Run an ingestion worker (as many as you like, on any machine that reaches the database)."""
    import signal

    from app.runtime import Runtime

    configure_logging(level=settings.log_level, fmt=settings.log_format)
    url = _database_url()

    async def run() -> str | None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        async with Runtime.start(url, worker=False) as runtime:
            return await runtime.run_worker(stop)

    died = asyncio.run(run())
    if died is not None:
        _print_error(f"the ingestion worker stopped: {died}")
        raise typer.Exit(code=1)


@cli.command()
def doctor() -> None:
    """Check the database, migrations, embeddings and worker for the current settings."""
    from app.doctor import run_checks

    checks = asyncio.run(run_checks(settings))
    marks = {"ok": "[green]ok[/green]", "warn": "[yellow]warn[/yellow]", "fail": "[red]FAIL[/red]"}
    table = Table("check", "", "found", "what to do")
    for check in checks:
        table.add_row(check.name, marks[check.status], check.detail, check.fix)
    console.print(table)
    if any(check.status == "fail" for check in checks):
        raise typer.Exit(code=1)


@cli.command()
def migrate() -> None:
    """Bring the database schema up to date."""
    _database_url()
    console.print("database is up to date")


@cli.command("schema")
def export_schema() -> None:
    """Print the GraphQL schema (SDL); `schema.graphql` at the repo root is this output."""
    from strawberry.printer import print_schema

    from app.schema.root import schema

    print(print_schema(schema))


@cli.command("eval")
def eval_dataset(
    dataset: str = typer.Argument(
        ...,
        help="A directory in the ViDoRe/BEIR layout (corpus/, queries/, qrels/ parquet), or a "
        "Hugging Face dataset name (needs the `eval` extra and network).",
    ),
    mode: Annotated[
        list[str] | None,
        typer.Option("--mode", help="VISUAL (default), TEXT or HYBRID; repeat to run several."),
    ] = None,
    exact: bool = typer.Option(False, "--exact", help="Search with `exact: true`."),
    compare: bool = typer.Option(
        False,
        "--compare",
        help="Each mode on the fast path and exactly (--exact is moot), with the difference.",
    ),
    url: str | None = typer.Option(
        None, "--url", envvar="PALIAPI_URL", help="A running server; unset: start one here."
    ),
    token: str | None = typer.Option(
        None, "--token", envvar="PALIAPI_TOKEN", help="A token of that server's user."
    ),
    out: Annotated[
        Path | None,
        typer.Option(help="Per-query results (JSON); default eval-results/<collection>.json."),
    ] = None,
    top_k: int = typer.Option(20, "--top-k", min=10, help="Results requested per query."),
    upload: str = typer.Option(
        "auto", "--upload", help="auto (a page's `pdf` when the corpus has one), image or pdf."
    ),
    keep_collection: bool = typer.Option(
        False, "--keep-collection", help="Keep the eval's collection (deleted by default)."
    ),
    bootstrap: int = typer.Option(1000, "--bootstrap", min=1, help="Bootstrap resamples."),
    seed: int = typer.Option(0, "--seed", help="Bootstrap seed."),
    split: str = typer.Option("test", "--split", help="Split of a Hugging Face dataset."),
) -> None:
    """Measure retrieval quality (nDCG, recall, MRR with 95% intervals) through the service."""
    from app.evals.command import run_command
    from app.evals.errors import EvalError
    from app.evals.ingest import UploadKind
    from app.evals.results import EvalMode, EvalOptions

    try:
        modes = tuple(dict.fromkeys(EvalMode(m.upper()) for m in mode or ["VISUAL"]))
        kind = UploadKind(upload.lower())
    except ValueError as error:
        _print_error(f"{error}; see `paliapi eval --help`.")
        raise typer.Exit(code=2) from error
    options = EvalOptions(
        modes=modes,
        exact=exact,
        compare=compare,
        top_k=top_k,
        bootstrap_samples=bootstrap,
        seed=seed,
        upload=kind,
        keep_collection=keep_collection,
    )
    try:
        run_command(dataset, options, url=url, token=token, out=out, split=split, console=console)
    except EvalError as error:
        _print_error(str(error))
        raise typer.Exit(code=1) from error


@users_cli.command("create")
def users_create(
    name: str, admin: bool = typer.Option(False, "--admin", help="Make the user an admin.")
) -> None:
    """Create a user and print its API token (shown only this once)."""
    _, token = _in_transaction(
        lambda s: user_service.create_user(session=s, name=name, is_admin=admin)
    )
    console.print(f"created user [bold]{name}[/bold]; API token (shown once):", highlight=False)
    print(token)


@users_cli.command("token")
def users_token(name: str) -> None:
    """Issue a new token for a user; the old one stops working."""
    token = _in_transaction(lambda s: user_service.rotate_token(session=s, name=name))
    console.print(f"new API token for [bold]{name}[/bold] (shown once):", highlight=False)
    print(token)


@users_cli.command("list")
def users_list() -> None:
    """List users."""
    users = _in_transaction(lambda s: user_service.list_users(session=s))
    table = Table("id", "name", "admin", "created")
    for user in users:
        table.add_row(str(user.id), user.name, "yes" if user.is_admin else "", str(user.created_at))
    console.print(table)


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
