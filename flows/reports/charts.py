"""Charts as inline SVG: they travel inside the HTML file, print sharply and render in the PDF.

Plotly's interactive charts need JavaScript, which neither a PDF renderer nor a printed page runs,
so the report draws its few bar charts itself. Every bar carries its figure as text, and the chart
has a table beside it, so no reader depends on the picture alone.
"""

from __future__ import annotations

from html import escape

from .model import fi_grouped

WIDTH, HEIGHT = 640, 220
LEFT, BOTTOM, TOP = 48, 34, 16


def bar_chart(labels: list[str], values: list[float], title: str, decimals: int = 0) -> str:
    peak = max([v for v in values if v is not None] + [1])
    plot_w = WIDTH - LEFT - 8
    plot_h = HEIGHT - BOTTOM - TOP
    slot = plot_w / max(len(values), 1)
    bar_w = slot * 0.7
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-label="{escape(title)}" class="chart">',
             f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - 8}" y2="{TOP + plot_h}" stroke="#444"/>']
    for tick in (0.5, 1.0):
        y = TOP + plot_h * (1 - tick)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - 8}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="10">'
                     f'{escape(fi_grouped(peak * tick, decimals))}</text>')
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = LEFT + i * slot + (slot - bar_w) / 2
        v = value or 0
        h = plot_h * v / peak
        parts.append(f'<rect x="{x:.1f}" y="{TOP + plot_h - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                     f'fill="#1f5f8b"/>')
        parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{TOP + plot_h - h - 3:.1f}" text-anchor="middle" '
                     f'font-size="10">{escape(fi_grouped(v, decimals))}</text>')
        parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{HEIGHT - BOTTOM + 14:.1f}" text-anchor="middle" '
                     f'font-size="10">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
