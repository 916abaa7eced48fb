"""Quarter and year results from the monthly summaries (``xlpy period``)."""

from xlpy.period.job import PeriodOutcome, run_period
from xlpy.period.spec import Period, parse_period

__all__ = ["Period", "PeriodOutcome", "parse_period", "run_period"]
