"""``xlpy`` command line. Each job's commands live in their own module and register on ``app``.

User errors (:class:`xlpy.errors.XlpyError`) print as one Chinese message and exit 2; nothing
else should reach the user as a traceback.
"""

import contextlib
import importlib
import os
import sys

from xlpy.cli.interrupts import held_interrupts

INTERRUPTED = "已中断(Ctrl-C),未写出不完整的文件"

try:  # Ctrl-C while the commands load: the same one line as later, not a traceback
    with held_interrupts():
        from typer import TyperException

        from xlpy.cli.app import app
        from xlpy.cli.console import make_console
        from xlpy.cli.usage import is_help, usage_line
        from xlpy.errors import XlpyError

        COMMAND_MODULES = (
            "catalog",
            "addin",
            "validate",
            "consolidate",
            "demo",
            "ledgers",
            "template",
            "recalc",
            "period",
            "export",
            "feedback",
            "adopt",
        )

        for _name in COMMAND_MODULES:
            importlib.import_module(f"xlpy.cli.{_name}")
except KeyboardInterrupt:
    print(INTERRUPTED, file=sys.stderr)
    sys.exit(130)


def run() -> int:
    """Run the command named on the command line; its exit status."""
    try:
        with held_interrupts():  # until the command starts (the edge guard lets Ctrl-C through)
            status = app(prog_name="xlpy", standalone_mode=False)  # usage errors: said in Chinese
    except XlpyError as error:
        _error_line(str(error))
        return 2
    except TyperException as error:  # a mistake on the command line
        if is_help(error):
            print(error.format_message(), file=sys.stderr)
        else:
            _error_line(usage_line(error))
        return 2
    except KeyboardInterrupt:
        status = 130
    except SystemExit as exit_:
        if exit_.code is not None and not isinstance(exit_.code, int):
            print(exit_.code, file=sys.stderr)
            return 1
        status = exit_.code
    if status == 130:  # typer turns Ctrl-C into exit status 130
        make_console(stderr=True).print(INTERRUPTED, highlight=False)
    return status if isinstance(status, int) else 0


def _error_line(message: str) -> None:
    from rich.markup import escape  # rich loads when there is something to print

    # the message is text, not markup: "[表名]" or a user's "[x]" must print as written
    make_console(stderr=True).print(f"[bold red]错误[/]: {escape(message)}", highlight=False)


def main() -> None:
    """The ``xlpy`` command. When it is done — every file it wrote closed and moved into place,
    every worker stopped — the process ends without tearing the interpreter down: freeing pandas,
    numpy and the rest module by module takes ~0.1 s and does nothing for the user."""
    status = run()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (``xlpy … | head``)
            stream.flush()
    os._exit(status)
