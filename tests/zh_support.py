"""What counts as English a Chinese clerk would have to read, for the tests of the Chinese output.

A line is taken apart: what is not prose goes (the file's path, quoted values, option names, the diagnostic
code, file names, names of formats and programs, details in brackets that hold no Chinese such as a library's
reason); an English run of three words or more left over is a sentence nobody translated.
"""

from __future__ import annotations

import re

# Words that are names, not English prose: formats, encodings, programs, notations.
NAMES = r"\b(?:UTF-8|UTF-16|UTF-32|GB18030|CSV|TSV|Excel|xlsx|xls|BOM|NaN|NUL|openpyxl|pip|install|kpi|toml|yyyy-mm-dd|" \
        r"YYYY-MM-DD|Unicode|ignore_columns|multiline|cells|SHA-256|SQLite|PostgreSQL|postgresql://user@host/database)\b"
ENGLISH_RUN = re.compile(r"[A-Za-z]{2,}(?:[ ,'-]+[A-Za-z]{2,}){2,}")
CJK = re.compile(r"[\u3400-\u9fff]")


def english_left(line: str, path: str = "\0") -> str | None:
    """The English run left in ``line`` once what is not prose is taken out, or None."""
    text = line.replace(path, " ")
    text = re.sub(r"\([a-z0-9-]+\)\s*$", " ", text)  # the diagnostic code
    text = re.sub(r"'[^']*'|\"[^\"]*\"|“[^”]*”", " ", text)  # quoted values
    text = re.sub(r"--?[a-z][a-z-]*", " ", text)  # options
    text = re.sub(r"[\w./-]+\.(?:csv|tsv|xlsx|xls|json|txt|yaml|toml|html|db)\b", " ", text)  # file names
    text = re.sub(r"\([^()\u3000-\u9fff]*\)|（[^（）\u3000-\u9fff]*）", " ", text)  # details with no Chinese
    text = re.sub(NAMES, " ", text)
    m = ENGLISH_RUN.search(text)
    return m.group(0) if m else None


def english_lines(output: str, path: str = "\0") -> list[tuple[str, str]]:
    """(line, the English left in it) for every line of ``output`` that still holds an English sentence."""
    return [(line, left) for line in output.splitlines() if (left := english_left(line, path))]
