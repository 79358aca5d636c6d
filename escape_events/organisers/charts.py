"""The dashboard chart, drawn on the server as inline SVG: no script, no CDN, sharp in print."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from escape_events.events.when import date_text

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40
# Told apart by more than colour: on-site solid, remote dashed (drawn on top, so a line lying
# on the other stays visible).
STYLES = {"onsite": ("#1f4fa3", ""), "remote": ("#b35c00", "7 5")}
LABEL_GAP = 14  # px between the end labels of two lines ending close together


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    points: list[tuple[date, int]]  # cumulative totals, one per day

    @property
    def total(self) -> int:
        return self.points[-1][1]

    @property
    def colour(self) -> str:
        return STYLES.get(self.key, ("#555", ""))[0]

    @property
    def dashes(self) -> str:
        return STYLES.get(self.key, ("#555", ""))[1]


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


def _label_heights(lines: list[Line], y) -> list[float]:
    """Where each line's end number goes: just above its end, pushed apart when two meet."""
    placed: list[float] = []
    for line in lines:
        height = y(line.total) - 6
        for other in placed:
            if abs(other - height) < LABEL_GAP:
                height = other - LABEL_GAP
        placed.append(max(height, TOP + 10))
    return placed


def registrations_chart(
    per_mode: dict[str, list[tuple[date, int]]], labels: dict, *, until: date
) -> SafeString:
    """Registrations still held (confirmed, waiting or pending) by the day they came in,
    cumulative, one line per mode, up to `until` (today, or the event's last day), as an
    accessible <svg>. A mode in `per_mode` with no registration yet is drawn flat at zero."""
    all_days = sorted({day for points in per_mode.values() for day, _ in points})
    if not all_days:
        return mark_safe("")  # safe: the empty string, no markup
    last = max(until, all_days[-1])
    first = min(all_days[0], last - timedelta(days=1))  # at least two days wide
    days = [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
    lines = [
        Line(mode, labels[mode], cumulative(points, days)) for mode, points in per_mode.items()
    ]
    top = _nice_top(max(line.total for line in lines))
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
    ticked = days[::step]
    if ticked[-1] != last and (last - ticked[-1]).days * 2 >= step:
        ticked.append(last)  # the axis says where it ends
    ticks = format_html_join(
        "",
        '<text x="{}" y="{}" class="tick" text-anchor="middle">{}</text>',
        ((_n(x(day)), HEIGHT - BOTTOM + 18, date_format(day, "j M")) for day in ticked),
    )
    paths = format_html_join(
        "",
        '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5"'
        ' stroke-dasharray="{}"/>'
        '<text x="{}" y="{}" class="end-label" fill="{}">{}</text>',
        (
            (
                _step_points(line, x, y),
                line.colour,
                line.dashes or "none",
                _n(WIDTH - RIGHT - 4),
                _n(height),
                line.colour,
                line.total,
            )
            for line, height in zip(lines, _label_heights(lines, y), strict=True)
        ),
    )
    legend = format_html_join(
        "",
        '<li><svg class="swatch" viewBox="0 0 28 10" aria-hidden="true"><line x1="0" x2="28"'
        ' y1="5" y2="5" stroke="{}" stroke-width="3" stroke-dasharray="{}"/></svg>{}: {}</li>',
        ((line.colour, line.dashes or "none", line.label, line.total) for line in lines),
    )
    summary = ", ".join(f"{line.label}: {line.total}" for line in lines)
    first_day, last_day = date_text(first), date_text(last)
    return format_html(
        '<figure class="chart"><svg viewBox="0 0 {} {}" role="img" aria-label="{}">'
        "<title>{}</title>{}{}{}"
        '<line x1="{}" x2="{}" y1="{}" y2="{}" class="axis"/></svg>'
        '<figcaption><ul class="legend">{}</ul>{}</figcaption></figure>',
        WIDTH,
        HEIGHT,
        gettext("Registrations held now: %(summary)s") % {"summary": summary},
        gettext("Registrations held, by the day they came in, by mode"),
        grid,
        paths,
        ticks,
        LEFT,
        WIDTH - RIGHT,
        HEIGHT - BOTTOM,
        HEIGHT - BOTTOM,
        legend,
        gettext(
            "Registrations held now (confirmed, waiting or pending) by the day they came in, "
            "added up from %(first)s to %(last)s. Cancelled and declined ones are left out."
        )
        % {"first": first_day, "last": last_day},
    )
