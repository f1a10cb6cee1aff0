"""KPI chart as an SVG image (reportlab graphics, pure Python: no display or native renderer)."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics import renderSVG
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.colors import Color

from openrcm.ledger.kpis import Kpi


def kpi_chart_svg(items: Sequence[Kpi], title: str = "Revenue-cycle KPIs") -> str:
    """Percent KPIs as horizontal bars (0-100%), each labelled with its value."""
    shown = [k for k in items if k.unit == "%" and k.value is not None]
    drawing = Drawing(520, 60 + 36 * max(len(shown), 1))
    drawing.add(String(10, drawing.height - 20, title, fontName="Helvetica-Bold", fontSize=13))
    if not shown:
        drawing.add(String(10, drawing.height - 44, "no measurable KPI yet", fontName="Helvetica", fontSize=10))
        return str(renderSVG.drawToString(drawing))
    chart = HorizontalBarChart()
    chart.x, chart.y = 190, 20
    chart.width, chart.height = 300, 36 * len(shown)
    chart.data = [[float(k.value or 0) for k in reversed(shown)]]  # a plotting coordinate, not money
    chart.categoryAxis.categoryNames = [k.name for k in reversed(shown)]
    chart.categoryAxis.labels.fontName = "Helvetica"
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.bars[0].fillColor = Color(0.2, 0.45, 0.7)
    chart.barLabelFormat = "%.1f%%"
    chart.barLabels.nudge = 14
    drawing.add(chart)
    return str(renderSVG.drawToString(drawing))
