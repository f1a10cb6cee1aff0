"""The `openrcm` command."""

from __future__ import annotations

import sys

import typer

from openrcm import __version__
from openrcm.cli import claims_cmd, code_cmd, codes, codesets_cmd, demo, ledger_cmd, remit_cmd
from openrcm.cli.output import err_console
from openrcm.core.errors import OpenRCMError

app = typer.Typer(
    name="openrcm",
    help="OpenRCM: medical coding and billing, end to end, with its work shown.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(codes.app, name="codes")
app.add_typer(codesets_cmd.app, name="codesets")
app.command(name="demo")(demo.demo)
app.command(name="code")(code_cmd.code)
app.add_typer(code_cmd.eval_app, name="eval")
app.add_typer(claims_cmd.app, name="claims")
app.add_typer(remit_cmd.app, name="remit")
remit_cmd.app.command(name="post")(ledger_cmd.post)
claims_cmd.app.command(name="register")(ledger_cmd.register_claims_cmd)
app.add_typer(ledger_cmd.ar_app, name="ar")
app.add_typer(ledger_cmd.denials_app, name="denials")
app.command(name="kpis")(ledger_cmd.kpis_cmd)


@app.command()
def version() -> None:
    """Print the version."""
    print(__version__)  # noqa: T201


def run() -> None:
    """Entry point: data and input problems become one clear line on stderr, never a traceback."""
    try:
        app()
    except OpenRCMError as exc:
        err_console.print(f"[red]error:[/] {exc}", highlight=False)
        sys.exit(2)
