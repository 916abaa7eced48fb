"""Each person's 个人考核结果反馈单 from the month's summary (``xlpy feedback``)."""

from xlpy.feedback.job import FeedbackOutcome, run_feedback

__all__ = ["FeedbackOutcome", "run_feedback"]
