"""Errors meant for staff: the message is Chinese and names the file, sheet and cell it can."""


class XlpyError(Exception):
    """A problem the user can fix. The CLI and ribbon show ``str(error)``, never a traceback."""
