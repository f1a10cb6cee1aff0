from openrcm.cli.main import run

run()
