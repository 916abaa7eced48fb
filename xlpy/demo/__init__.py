"""``xlpy demo``: the sample department, built, validated and consolidated end to end."""

from xlpy.demo.run import DemoRun, run_demo

__all__ = ["DemoRun", "run_demo"]
