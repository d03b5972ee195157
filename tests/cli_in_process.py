"""The command line run in the test's own process, as ``python -m dashboard ARGS`` runs it."""

from __future__ import annotations

from dashboard import cli


def run(args: list[str], capsys) -> tuple[int, str, str]:
    """``python -m dashboard ARGS`` in this process: exit status, stdout, stderr (only what the command printed).

    What the test printed before is dropped first: emptying Streamlit's caches outside an app logs a warning,
    through a logger whose stream may be an earlier test's closed capture ("--- Logging error ---").
    """
    capsys.readouterr()
    try:
        code = cli.main(args)
    except SystemExit as exc:  # argparse's usage errors end the program, as they do from the shell
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err
