"""Printable appraisal forms (考核表) as one self-contained HTML document.

One A4 page per person, laid out like the paper forms: the header (岗位, 被考核人,
部门, 考核月度), the item table with the records behind each deduction (违规情况记录),
奖扣分, 总分, 等级, the outcome boxes (□发放100% □发放50%...) with the right one
ticked, an empty 考核面谈意见 area and the signature lines.  A first page sums the
period up: the ranking, the count per grade with a bar chart (inline SVG), and
each department's mean and range.

The document has no JavaScript and loads nothing: CSS and SVG are inline.  The
templates (``templates/``) are rendered by Jinja2 with autoescaping, so a
name like ``<script>`` prints as text.  Jinja2 is imported only when rendering.

Figures are formatted here (exact ``Decimal`` values, never floats, except the
bar geometry of the chart); the templates only lay them out.
"""

from kpi_cli.outputs.forms.document import (
    TEMPLATE_DIR,
    render_form,
    render_html,
    render_split,
    split_file_name,
    write_forms,
)

__all__ = ["TEMPLATE_DIR", "render_form", "render_html", "render_split", "split_file_name", "write_forms"]
