"""The index page's charts as inline SVG, drawn here so the site needs no chart library and no network.

Every chart has a `<title>` per mark (a native tooltip) and a text alternative in `aria-label`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape

from pipeline.report.style import LABEL_COLOURS, measure_colour

FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def _e(s: object) -> str:
    return escape(str(s), quote=True)


def bar_chart(rows: Sequence[tuple[str, int, str]], *, title: str, width: int = 640) -> str:
    """Horizontal bars: (name, value, href) rows, largest first as given."""
    if not rows:
        return f'<p class="empty">{_e(title)}: nothing to show.</p>'
    label_w, bar_h, gap = 220, 18, 6
    top = max(v for _, v, _ in rows) or 1
    height = len(rows) * (bar_h + gap) + 10
    scale = (width - label_w - 50) / top
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'aria-label="{_e(title)}" {FONT}>']
    for i, (name, value, href) in enumerate(rows):
        y = 5 + i * (bar_h + gap)
        short = name if len(name) <= 32 else name[:31] + "…"
        parts.append(
            f'<a href="{_e(href)}"><text x="{label_w - 6}" y="{y + 13}" text-anchor="end" fill="#1f2937">'
            f'{_e(short)}</text></a>'
            f'<rect x="{label_w}" y="{y}" width="{max(1.0, value * scale):.1f}" height="{bar_h}" fill="#2563eb">'
            f'<title>{_e(name)}: {value}</title></rect>'
            f'<text x="{label_w + value * scale + 4:.1f}" y="{y + 13}" fill="#1f2937">{value}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def stacked_months(counts: Mapping[str, Mapping[str, int]], *, title: str, width: int = 900) -> str:
    """Stacked columns: month -> label -> mentions, one colour per label, with a legend."""
    if not counts:
        return f'<p class="empty">{_e(title)}: no dated articles.</p>'
    months = sorted(counts)
    labels = [lab for lab in LABEL_COLOURS if any(lab in counts[m] for m in months)]
    left, bottom, top_pad, height = 40, 40, 10, 260
    plot_h = height - bottom - top_pad
    top = max(sum(counts[m].values()) for m in months) or 1
    col_w = max(4.0, min(40.0, (width - left - 10) / len(months) - 4))
    step = col_w + 4
    width = max(width, int(left + step * len(months) + 10))
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height + 24}" width="{width}" '
             f'height="{height + 24}" aria-label="{_e(title)}" {FONT}>',
             f'<text x="4" y="{top_pad + 8}" fill="#4b5563">{top}</text>',
             f'<line x1="{left}" y1="{height - bottom}" x2="{width - 5}" y2="{height - bottom}" stroke="#9ca3af"/>']
    every = max(1, math.ceil(56 / step))  # month labels are about 50 px wide: never let them overlap
    for i, m in enumerate(months):
        x = left + i * step
        y = float(height - bottom)
        for lab in labels:
            n = counts[m].get(lab, 0)
            if not n:
                continue
            h = n / top * plot_h
            y -= h
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{col_w:.1f}" height="{h:.1f}" '
                         f'fill="{LABEL_COLOURS[lab][1]}"><title>{_e(m)} {lab}: {n}</title></rect>')
        if i % every == 0:
            parts.append(f'<text x="{x:.1f}" y="{height - bottom + 14}" fill="#374151">{_e(m)}</text>')
    x = left
    for lab in labels:
        parts.append(f'<rect x="{x}" y="{height + 6}" width="12" height="12" fill="{LABEL_COLOURS[lab][1]}"/>'
                     f'<text x="{x + 16}" y="{height + 16}" fill="#1f2937">{lab}</text>')
        x += 16 + 8 * len(lab) + 14
    parts.append("</svg>")
    return "".join(parts)


def measures_timeline(points: Sequence[tuple[str, str, str, str, str]], *, title: str, width: int = 900,
                      max_actors: int = 15) -> str:
    """Dots on a date axis, one row per actor, coloured by measure type: (date, actor, type, label, href)."""
    if not points:
        return f'<p class="empty">{_e(title)}: no measures in these records.</p>'
    by_actor: dict[str, int] = {}
    for _, actor, *_rest in points:
        by_actor[actor] = by_actor.get(actor, 0) + 1
    actors = sorted(by_actor, key=lambda a: (-by_actor[a], a))[:max_actors]
    shown = [p for p in points if p[1] in actors]
    dates = sorted({p[0] for p in shown})
    from datetime import date

    def day(s: str) -> int:
        return date.fromisoformat(s).toordinal()

    lo, hi = day(dates[0]), day(dates[-1])
    span = max(1, hi - lo)
    left, row_h, top_pad = 200, 22, 10
    plot_w = width - left - 20
    height = top_pad + row_h * len(actors) + 30
    types = sorted({p[2] for p in shown})
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height + 24 * ((len(types) + 3) // 4)}" '
             f'width="{width}" height="{height + 24 * ((len(types) + 3) // 4)}" aria-label="{_e(title)}" {FONT}>']
    for i, actor in enumerate(actors):
        y = top_pad + i * row_h + row_h / 2
        short = actor if len(actor) <= 28 else actor[:27] + "…"
        parts.append(f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" fill="#1f2937">{_e(short)}</text>'
                     f'<line x1="{left}" y1="{y:.1f}" x2="{width - 20}" y2="{y:.1f}" stroke="#e5e7eb"/>')
    for d, actor, mtype, label, href in shown:
        x = left + (day(d) - lo) / span * plot_w
        y = top_pad + actors.index(actor) * row_h + row_h / 2
        parts.append(f'<a href="{_e(href)}"><circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{measure_colour(mtype)}" '
                     f'stroke="#111827" stroke-width="0.5"><title>{_e(d)} {_e(actor)}: {_e(mtype)} '
                     f'{_e(label)}</title></circle></a>')
    axis_y = top_pad + row_h * len(actors) + 14
    parts.append(f'<text x="{left}" y="{axis_y}" fill="#374151">{_e(dates[0])}</text>'
                 f'<text x="{width - 20}" y="{axis_y}" text-anchor="end" fill="#374151">{_e(dates[-1])}</text>')
    for i, t in enumerate(types):
        x = 10 + (i % 4) * 220
        y = height + (i // 4) * 24
        parts.append(f'<circle cx="{x + 6}" cy="{y + 6}" r="6" fill="{measure_colour(t)}"/>'
                     f'<text x="{x + 16}" y="{y + 10}" fill="#1f2937">{_e(t)}</text>')
    parts.append("</svg>")
    return "".join(parts)
