"""The command line: `openrcm ...` (Typer and Rich). It calls the library and nothing below it."""
