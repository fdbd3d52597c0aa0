"""Every string of the UI is translatable and shipped in Russian."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "src" / "openpiu" / "web"
HTML = {"accept": "text/html"}


def _extracted() -> set[str]:
    """The strings ``make i18n`` extracts: the same mapping (babel.cfg), the same
    keywords (gettext's, ``ngettext`` included, and ``N_``)."""
    with (ROOT / "babel.cfg").open() as fh:
        method_map, options = parse_mapping_cfg(fh)
    keywords = {**DEFAULT_KEYWORDS, "N_": None}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options, keywords=keywords
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_ui_string_has_a_russian_translation() -> None:
    with (WEB / "locale" / "ru" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale="ru")
    translated = {m.id if isinstance(m.id, str) else m.id[0]
                  for m in catalog if m.id and m.string and not m.fuzzy}  # fmt: skip
    missing = sorted(_extracted() - translated)
    assert not missing, f"{len(missing)} string(s) without Russian (run make i18n): {missing[:10]}"


def test_pages_render_in_the_chosen_language(web_sqlite) -> None:
    client = web_sqlite.client()
    english = client.get("/login", headers=HTML)
    assert '<html lang="en">' in english.text and "Sign in" in english.text
    russian = client.get("/login", headers={**HTML, "accept-language": "ru-RU,ru;q=0.9"})
    assert '<html lang="ru">' in russian.text and "Войти" in russian.text
    analyst = web_sqlite.client("analyst")
    chosen = analyst.post("/language", data={"language": "ru", "next": "/alerts"},
                          headers={**HTML, **analyst.csrf})  # fmt: skip
    assert chosen.status_code == 303
    assert "Очередь" in analyst.get("/alerts", headers=HTML).text
