"""What every command shares: the code-set library (opened once) and the way a command fails."""

from __future__ import annotations

import functools
from typing import NoReturn

import typer

from openrcm.cli.output import err_console
from openrcm.codesets import CodeSets


@functools.cache
def code_sets() -> CodeSets:
    return CodeSets()


def fail(message: str, code: int = 2) -> NoReturn:
    err_console.print(f"[red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)
