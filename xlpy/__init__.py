"""xlpy — spreadsheet-native scoring for the after-sales service department (售后服务部)."""

import sys

try:
    from importlib.metadata import PackageNotFoundError, version

    try:
        __version__ = version("xlpy")
    except PackageNotFoundError:  # running from a source tree that was not installed
        __version__ = "0.0.0+source"
except KeyboardInterrupt:  # Ctrl-C as the command line starts: one line, no traceback
    print("已中断(Ctrl-C)", file=sys.stderr)
    sys.exit(130)
