"""kpi-cli: score staff performance appraisals (绩效考核) from YAML rubrics."""

__version__ = "0.1.0"
