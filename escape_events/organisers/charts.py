"""The dashboard chart, drawn on the server as inline SVG: no script, no CDN, sharp in print."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40
COLOURS = {"onsite": "#1f4fa3", "remote": "#e08a00"}


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    points: list[tuple[date, int]]  # cumulative totals, one per day


def cumulative(per_day: list[tuple[date, int]], days: list[date]) -> list[tuple[date, int]]:
    counts = dict(per_day)
    total, points = 0, []
    for day in days:
        total += counts.get(day, 0)
        points.append((day, total))
    return points


def _n(value: float) -> str:
    return f"{value:.1f}"


def _step_points(line: Line, x, y) -> str:
    """A staircase: the total stays flat until the day it rises."""
    coordinates, previous = [], 0
    for day, value in line.points:
        coordinates.append(f"{x(day):.1f},{y(previous):.1f}")
        coordinates.append(f"{x(day):.1f},{y(value):.1f}")
        previous = value
    return " ".join(coordinates)


def _nice_top(value: int) -> int:
    for step in (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2500, 5000, 10_000, 25_000):
        if value <= step * 5:
            return max(step * ((value + step - 1) // step), step)
    return value


def registrations_chart(per_mode: dict[str, list[tuple[date, int]]], labels: dict) -> SafeString:
    """Cumulative registrations per day, one line per mode, as an accessible <svg>."""
    all_days = sorted({day for points in per_mode.values() for day, _ in points})
    if not all_days:
        return mark_safe("")
    first, last = all_days[0], max(all_days[-1], all_days[0] + timedelta(days=6))
    days = [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
    lines = [
        Line(mode, labels[mode], cumulative(points, days))
        for mode, points in per_mode.items()
        if points
    ]
    top = _nice_top(max(line.points[-1][1] for line in lines))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: date) -> float:
        return LEFT + plot_w * (day - first).days / max(len(days) - 1, 1)

    def y(value: int) -> float:
        return TOP + plot_h * (1 - value / top)

    grid = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" class="grid"/>'
        '<text x="{}" y="{}" class="tick" text-anchor="end">{}</text>',
        (
            (LEFT, WIDTH - RIGHT, _n(y(value)), _n(y(value)), LEFT - 6, _n(y(value) + 4), value)
            for value in range(0, top + 1, max(top // 5, 1))
        ),
    )
    step = max(len(days) // 6, 1)
    ticks = format_html_join(
        "",
        '<text x="{}" y="{}" class="tick" text-anchor="middle">{}</text>',
        ((_n(x(day)), HEIGHT - BOTTOM + 18, f"{day.day} {day:%b}") for day in days[::step]),
    )
    paths = format_html_join(
        "",
        '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5"/>'
        '<text x="{}" y="{}" class="end-label" fill="{}">{}</text>',
        (
            (
                _step_points(line, x, y),
                COLOURS.get(line.key, "#555"),
                _n(min(x(line.points[-1][0]) - 4, WIDTH - RIGHT - 4)),
                _n(y(line.points[-1][1]) - 6),
                COLOURS.get(line.key, "#555"),
                line.points[-1][1],
            )
            for line in lines
        ),
    )
    legend = format_html_join(
        "",
        '<li><span class="swatch" style="background:{}"></span>{} ({})</li>',
        ((COLOURS.get(line.key, "#555"), line.label, line.points[-1][1]) for line in lines),
    )
    summary = ", ".join(f"{line.label}: {line.points[-1][1]}" for line in lines)
    return format_html(
        '<figure class="chart"><svg viewBox="0 0 {} {}" role="img" aria-label="{}">'
        "<title>Registrations over time, by mode</title>{}{}{}"
        '<line x1="{}" x2="{}" y1="{}" y2="{}" class="axis"/></svg>'
        '<figcaption><ul class="legend">{}</ul>'
        "Registrations received since {} (cumulative, by day).</figcaption></figure>",
        WIDTH,
        HEIGHT,
        f"Registrations over time: {summary}",
        grid,
        paths,
        ticks,
        LEFT,
        WIDTH - RIGHT,
        HEIGHT - BOTTOM,
        HEIGHT - BOTTOM,
        legend,
        f"{first.day} {first:%b %Y}",
    )
