"""`python -m demo build OUT` / `python -m demo serve`: the demo site by hand."""

from __future__ import annotations

import time
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated

import typer

from demo.server import HOME, serve_site
from demo.site import build_site, ensure_demo_site

app = typer.Typer(add_completion=False, no_args_is_help=True, help="The bundled demo publication site.")


@app.command()
def build(
    out: Annotated[Path, typer.Argument(help="Folder to write the site into.")],
    synthetic: Annotated[int, typer.Option(help="Number of synthetic documents besides the two seeds.")] = 24,
    seed: Annotated[int, typer.Option(help="Seed of the synthetic corpus.")] = 2024,
) -> None:
    """Build the static site (listing, detail pages, PDFs, corpus.json) into OUT."""
    started = time.perf_counter()
    build_site(out, n_synthetic=synthetic, seed=seed)
    typer.echo(f"built {out} in {time.perf_counter() - started:.1f} s")


@app.command()
def serve(
    root: Annotated[Path | None, typer.Option(help="A built site; default: the cached demo site.")] = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port; 0 picks a free one.")] = 8000,
) -> None:
    """Serve a built site until Ctrl-C."""
    site = root if root is not None else ensure_demo_site()
    if not (site / "corpus.json").is_file():
        typer.echo(f"error: {site} is not a built demo site (no corpus.json)", err=True)
        raise typer.Exit(1)
    with ExitStack() as running:
        try:
            base_url = running.enter_context(serve_site(site, host, port))
        except OSError as failed:
            typer.echo(f"error: cannot listen on {host}:{port}: {failed.strerror or failed}", err=True)
            raise typer.Exit(1) from None
        typer.echo(f"serving {site} at {base_url}{HOME} (Ctrl-C to stop)")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            typer.echo("stopped")


if __name__ == "__main__":
    app()
