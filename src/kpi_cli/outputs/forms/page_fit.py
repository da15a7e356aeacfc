"""How much of a form fits on one A4 page: the heights of rows, measured in mm as Chromium prints them."""

from __future__ import annotations


from kpi_cli.engine.results import SubjectScore
from kpi_cli.outputs.fidelity_view import form_tag, forms_banner
from kpi_cli.outputs.forms.views import Row, band_range, percent
from kpi_cli.outputs.wording import rule_roles, veto_effect
from kpi_cli.rubric.model import Rubric


# One form, one A4 page.  Heights in mm, measured in Chromium: the printable height, and what the
# page holds besides the item rows (title, header, table head and 合计, result, 考核面谈意见 at its
# smallest, signatures, footer).  When the records would need more room than is left, the longest
# lists are cut and their rest summed up in one line (the full list: kpi explain).
PRINTABLE_MM = 276.0
OVERHEAD_MM = 111.0
SAFETY_MM = 3.0


_TABLE_MM = 186.0
_FIXED_MM = 8 + 19 + 9 + 11  # 序号, 考核项目, 分值, 得分
_CJK_MM = {9.5: 3.35, 8.6: 3.03, 7.8: 2.75}  # the advance of one Chinese character at the table's font sizes


def _records_mm(rubric: Rubric) -> float:
    return 44.0 if has_rated_items(rubric) else 54.0


def _standard_mm(rubric: Rubric) -> float:
    raters = sum(11 if len(r.name) <= 3 else 12 for r in rubric.raters) if has_rated_items(rubric) else 0
    return _TABLE_MM - _FIXED_MM - _records_mm(rubric) - raters


_EM = {" ": 0.23, "-": 0.35, ".": 0.28, ",": 0.28, ":": 0.28, ";": 0.28, "(": 0.34, ")": 0.34, "%": 0.92,
       "−": 0.56}


def _em(c: str) -> float:
    """The advance of a character in em, as Noto Sans CJK draws it (measured in Chromium, rounded up)."""
    if c in _EM:
        return _EM[c]
    if ord(c) >= 0x2E80 or c in "×≥≤±":
        return 1.0
    if c.isdigit():
        return 0.56
    return 0.6 if c.isupper() else 0.5


def _text_lines(text: str, width_mm: float, size: float) -> int:
    """How many lines ``text`` wraps to in a cell ``width_mm`` wide (a generous estimate)."""
    units = sum(_em(c) for c in text)
    per_line = max((width_mm - 2.4 - 1.0) / _CJK_MM[size], 1.0)  # less the padding and the gaps around spans
    return max(1, -(-int(units * 100) // int(per_line * 100)))


def cells_mm(row: Row, rubric: Rubric) -> tuple[float, float]:
    """The estimated heights of the records cell and of the row's other cells (the tallest)."""
    std_w, rec_w = _standard_mm(rubric), _records_mm(rubric)
    details = ["; ".join(row.details)] if row.inline and row.details else row.details
    standard = (_text_lines(row.standard, std_w, 8.6) * 4.0 if row.standard else 0.0) + \
        sum(_text_lines(d, std_w, 7.8) * 3.7 + 0.6 for d in details)
    records = sum(_text_lines(" ".join(t for t in (x.date, x.text, x.points, x.note) if t), rec_w, 7.8) * 3.7 + 0.4
                  for x in row.lines) if row.lines else 3.7
    name = _text_lines(row.name, 19, 8.6) * 4.0
    return records, max(standard, name)


def row_mm(row: Row, rubric: Rubric) -> float:
    """The estimated height of an item row: its tallest cell, plus the cell padding."""
    return max(cells_mm(row, rubric)) + 1.9


def rows_budget(rubric: Rubric, s: SubjectScore, period: str) -> float:
    """The height left for the item rows on this person's page."""
    used = OVERHEAD_MM + SAFETY_MM
    draft = forms_banner(rubric)
    if draft:  # the 草案 · 含重建内容 line under the title
        used += 4.0 + 3.7 * _text_lines(draft, _TABLE_MM - 4.0, 7.8)  # margin, padding, border and the text
    if has_rated_items(rubric):
        used += 4.3  # the weighting formula under the table
    if rubric.outcomes or rubric.vetoes:
        notes = "备注:" + "".join(outcome_notes(rubric))
        used += 7.5 + 1.2 + 3.7 * _text_lines(notes, _TABLE_MM + 2.4, 7.8)  # the boxes and the 备注
    # a long name or department wraps the header line (the labels and their gaps: about 8 characters)
    subject = s.subject
    header = f"岗位:{subject.role}被考核人:{subject.name}工号:{subject.id}部门:{subject.department}考核月度:{period}"
    used += 5.0 * (_text_lines(header + "一" * 7, _TABLE_MM, 9.5) - 1)
    return PRINTABLE_MM - used

def has_rated_items(rubric: Rubric) -> bool:
    return bool(rubric.raters) and any(item.is_rated for item in rubric.items)

def outcome_notes(rubric: Rubric) -> tuple[str, ...]:
    notes = []
    for b in rubric.outcomes:
        text = f"当月总得分{band_range(b)}"
        if b.pay is not None:
            text += f", 绩效工资发放{percent(b.pay)}"
        if b.action:
            text += f", {b.action}"
        notes.append(text + form_tag(rubric, b))
    for veto in rubric.vetoes:  # 一票否决 rules are printed on every form
        notes.append(f"一票否决: {veto.name}{rule_roles(veto)}, 一经发生 → {veto_effect(veto)}{form_tag(rubric, veto)}")
    return tuple(notes)
