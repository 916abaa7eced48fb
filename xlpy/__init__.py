"""xlpy — spreadsheet-native scoring for the after-sales service department (售后服务部)."""

# The one home of the version: pyproject.toml reads it from here (setuptools ``attr:``), so the
# command line starts without importlib.metadata (about 40 ms of every start-up).
__version__ = "0.1.0"
