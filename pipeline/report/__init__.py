"""`tradex report`: a static review site over records (no server, no network), built streaming.

The names below are imported on first use: the CLI imports this package to register its command, and a
run that builds no report should not pay for Jinja2 and the site's templates at start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.report.inputs import ReportInputError
    from pipeline.report.site import ReportOutputError, ReportSummary, build_report

__all__ = ["ReportInputError", "ReportOutputError", "ReportSummary", "build_report"]


def __getattr__(name: str) -> Any:
    if name == "ReportInputError":
        from pipeline.report import inputs

        return inputs.ReportInputError
    if name in ("ReportOutputError", "ReportSummary", "build_report"):
        from pipeline.report import site

        return getattr(site, name)
    raise AttributeError(f"module 'pipeline.report' has no attribute {name!r}")
