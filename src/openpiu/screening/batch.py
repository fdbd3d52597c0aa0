"""Batch screening input: travellers from CSV or JSON lines (DESIGN.md), and pairs.

Columns: ``id, full_name`` or ``surname`` + ``given_names``, ``dob``,
``nationality`` (alpha-3; alpha-2 accepted), ``gender``, ``doc_number``,
``doc_country``.  A row that cannot be used is an error naming its line; the
whole file is read before anything is screened, so a bad row never leaves
half an output behind.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass

from openpiu.errors import ParseError
from openpiu.reference import country_alpha3
from openpiu.screening.types import Subject

MAX_FIELD = 512  # a name longer than this is not a name


def utf8_text(raw: bytes, source: str) -> str:
    """A text file's content (a byte-order mark allowed), or an error naming the byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(f"{source}: not UTF-8 (byte {exc.start})") from None


def _country(value: object, line: int, column: str) -> str | None:
    text = str(value or "").strip()
    if not text:
        return None
    code = country_alpha3(text.upper())
    if code is None:
        raise ParseError(f"line {line}: {column} {text!r} is not an ISO 3166 country code")
    return code


def _gender(value: object) -> str | None:
    text = str(value or "").strip().upper()[:1]
    return text if text in ("M", "F") else None


def subject_of(row: dict[str, object], line: int) -> Subject:
    def text(key: str) -> str:
        value = row.get(key)
        value = "" if value is None else str(value).strip()
        if len(value) > MAX_FIELD:
            raise ParseError(f"line {line}: {key} is longer than {MAX_FIELD} characters")
        return value

    ident = text("id") or str(line)
    full_name, surname, given = (
        text("full_name") or text("name"),
        text("surname"),
        text("given_names"),
    )
    if not (full_name or surname or given):
        raise ParseError(f"line {line}: no name (give full_name, or surname and given_names)")
    return Subject(
        id=ident, name=full_name, surname=surname, given_names=given,
        dob=text("dob") or None,
        nationality=_country(row.get("nationality"), line, "nationality"),
        gender=_gender(row.get("gender")),
        doc_number=text("doc_number") or None,
        doc_country=_country(row.get("doc_country"), line, "doc_country"),
    )  # fmt: skip


def _looks_like_jsonl(text: str) -> bool:
    return text.lstrip().startswith("{")


def read_subjects(text: str) -> list[Subject]:
    """Travellers from CSV (with a header row) or JSON lines (sniffed)."""
    subjects: list[Subject] = []
    if _looks_like_jsonl(text):
        for line, raw in enumerate(text.splitlines(), start=1):
            if not raw.strip():
                continue
            try:
                row = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise ParseError(f"line {line}: not JSON ({exc.msg})") from None
            if not isinstance(row, dict):
                raise ParseError(f"line {line}: expected a JSON object")
            subjects.append(subject_of(row, line))
        return subjects
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        raise ParseError("empty input: expected a CSV header row or JSON lines")
    try:
        for row in reader:
            subjects.append(subject_of(dict(row), reader.line_num))
    except csv.Error as exc:
        raise ParseError(f"line {reader.line_num}: {exc}") from None
    return subjects


@dataclass(frozen=True, slots=True)
class NamePair:
    pair_id: str
    left: str
    right: str
    dob_left: str | None = None
    dob_right: str | None = None
    row: tuple[tuple[str, str], ...] = ()  # the input row, echoed in the output


def read_pairs(text: str) -> Iterator[NamePair]:
    """Rows of ``pair_id,left,right`` (optional ``dob_left``, ``dob_right``)."""
    reader = csv.DictReader(io.StringIO(text))
    missing = {"pair_id", "left", "right"} - set(reader.fieldnames or ())
    if missing:
        raise ParseError(f"pairs CSV lacks column(s): {', '.join(sorted(missing))}")
    try:
        for row in reader:
            yield NamePair(
                (row.get("pair_id") or "").strip(), row.get("left") or "", row.get("right") or "",
                (row.get("dob_left") or "").strip() or None,
                (row.get("dob_right") or "").strip() or None,
                tuple((k, v or "") for k, v in row.items() if k is not None),
            )  # fmt: skip
    except csv.Error as exc:
        raise ParseError(f"line {reader.line_num}: {exc}") from None
