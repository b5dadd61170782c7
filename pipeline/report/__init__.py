"""`tradex report`: a static review site over records (no server, no network), built streaming."""

from pipeline.report.inputs import ReportInputError
from pipeline.report.site import ReportOutputError, ReportSummary, build_report

__all__ = ["ReportInputError", "ReportOutputError", "ReportSummary", "build_report"]
