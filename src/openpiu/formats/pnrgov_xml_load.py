"""Hardened XML loading for PNRGOV XML: bytes -> an element tree with local names.

XML from outside is hostile until parsed: a carrier's gateway, a test harness or
an attacker can all reach the ingest.  defusedxml's expat parser refuses entity
declarations (billion laughs, quadratic blow-up, XXE) the moment it meets the
first one, and never resolves an external reference; on top of it this module

* refuses a DOCTYPE that names an external DTD (nothing is ever fetched);
* bounds the input size, the nesting depth, the number of elements, the number
  and size of attributes and the text of one element, so that no input can make
  the parse slow or the tree large (the checks run inside the expat callbacks,
  before the tree grows);
* strips namespaces (elements and attributes are matched on local names, the
  root's namespace is reported) and records each element's line for warnings.

Every refusal is a :class:`~openpiu.errors.ParseError` whose detail names the
rule and the line, never the content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element, TreeBuilder
from xml.etree.ElementTree import ParseError as XmlSyntaxError

# defusedxml ships no type hints: pyproject.toml tells mypy to take it as Any.
from defusedxml.common import (
    DefusedXmlException,
    EntitiesForbidden,
    ExternalReferenceForbidden,
)
from defusedxml.ElementTree import DefusedXMLParser

from openpiu.errors import ParseError, Position

MAX_BYTES = 64 * 1024 * 1024  # a 500-seat full push with history is a few MB
MAX_DEPTH = 40  # PNRGOV XML nests about 8 deep
MAX_ELEMENTS = 1_000_000
MAX_ATTRIBUTES = 64  # per element
MAX_ATTRIBUTE_CHARS = 8192  # per attribute value
MAX_TEXT_CHARS = 65536  # text of one element (a long remark is a few hundred)

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


class _Refused(Exception):
    """Raised inside an expat callback; turned into a ParseError with the position."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


@dataclass(slots=True)
class Document:
    root: Element
    namespace: str | None  # of the root element, None when unqualified
    lines: dict[Element, int] = field(default_factory=dict)  # element -> line of its start tag


class _Builder:
    """The parser's target: a TreeBuilder with limits and local names."""

    def __init__(self) -> None:
        self.tree = TreeBuilder()
        self.depth = 0
        self.count = 0
        self.text = 0
        self.namespace: str | None = None
        self.lines: dict[Element, int] = {}
        self.expat: Any = None  # the pyexpat parser, for line numbers

    def start(self, tag: str, attrib: dict[str, str]) -> Element:
        self.depth += 1
        self.count += 1
        self.text = 0
        if self.depth > MAX_DEPTH:
            raise _Refused(f"elements nested deeper than {MAX_DEPTH} levels")
        if self.count > MAX_ELEMENTS:
            raise _Refused(f"more than {MAX_ELEMENTS} elements")
        if len(attrib) > MAX_ATTRIBUTES:
            raise _Refused(f"an element with more than {MAX_ATTRIBUTES} attributes")
        namespace, _, local = tag.rpartition("}")
        if self.count == 1:
            self.namespace = namespace.lstrip("{") or None
        attrs: dict[str, str] = {}
        for name, value in attrib.items():
            if len(value) > MAX_ATTRIBUTE_CHARS:
                raise _Refused(f"an attribute value longer than {MAX_ATTRIBUTE_CHARS} characters")
            attrs[name.rpartition("}")[2]] = value
        element = self.tree.start(local, attrs)
        self.lines[element] = self.expat.CurrentLineNumber
        return element

    def data(self, text: str) -> None:
        self.text += len(text)
        if self.text > MAX_TEXT_CHARS:
            raise _Refused(f"element text longer than {MAX_TEXT_CHARS} characters")
        self.tree.data(text)

    def end(self, tag: str) -> Element:
        self.depth -= 1
        self.text = 0
        return self.tree.end(tag.rpartition("}")[2])

    def close(self) -> Element:
        return self.tree.close()


class _Parser(DefusedXMLParser):  # type: ignore[misc]  # an untyped base class
    """DTDs are tolerated only when internal (their entity declarations are still
    refused, one by one, by defusedxml); an external DTD is refused outright."""

    def __init__(self, target: _Builder) -> None:
        super().__init__(target=target, forbid_dtd=True, forbid_entities=True,
                         forbid_external=True)

    def defused_start_doctype_decl(self, name: str, sysid: str | None, pubid: str | None,
                                   has_internal_subset: bool) -> None:
        if sysid or pubid:
            raise _Refused("external DTD refused (DOCTYPE with a SYSTEM or PUBLIC "
                           "identifier); no DTD is ever fetched")


def looks_like_xml(data: bytes) -> bool:
    head = data[:4]
    return any(head.startswith(bom) for bom in _BOMS[1:]) or \
        data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def load(data: bytes, max_bytes: int | None = None) -> Document:
    """Parse ``data`` under the limits above; ParseError on anything refused."""
    limit = MAX_BYTES if max_bytes is None else max_bytes
    if len(data) > limit:
        raise ParseError(f"message of {len(data)} bytes exceeds the maximum of {limit} bytes",
                         status=413, position=Position(offset=limit))
    if not data.strip():
        raise ParseError("empty input: not a PNRGOV XML document", position=Position(offset=0))
    if not looks_like_xml(data):
        raise ParseError("not an XML document (it does not start with '<')",
                         position=Position(offset=0))
    builder = _Builder()
    parser = _Parser(builder)
    expat = parser.parser
    builder.expat = expat
    try:
        parser.feed(data)
        root = parser.close()
    except _Refused as exc:
        raise _error(f"{exc.detail} at line {expat.CurrentLineNumber}",
                     expat.CurrentByteIndex) from None
    except EntitiesForbidden as exc:
        what = ("external entity declaration (XXE)" if exc.sysid or exc.pubid
                else "entity declaration (entity-expansion protection)")
        raise _error(f"{what} refused at line {expat.CurrentLineNumber}: PNRGOV XML "
                     "needs no entities", expat.CurrentByteIndex) from None
    except ExternalReferenceForbidden:
        raise _error(f"external entity reference refused at line {expat.CurrentLineNumber}",
                     expat.CurrentByteIndex) from None
    except DefusedXmlException as exc:  # any other defusedxml refusal
        raise _error(f"refused by the XML hardening ({type(exc).__name__}) at line "
                     f"{expat.CurrentLineNumber}", expat.CurrentByteIndex) from None
    except XmlSyntaxError as exc:
        line, column = getattr(exc, "position", (expat.ErrorLineNumber, expat.ErrorColumnNumber))
        reason = str(exc).split(":")[0]
        raise _error(f"XML not well-formed: {reason} at line {line}, column {column}",
                     expat.ErrorByteIndex) from None
    except LookupError:
        raise _error("the XML declaration names an unknown character encoding", 0) from None
    except (RecursionError, MemoryError, ValueError, UnicodeError) as exc:
        # Only the kind of failure: the message of a codec error may quote input bytes.
        reason = ("an unsupported (multi-byte) character encoding" if "encoding" in str(exc)
                  else type(exc).__name__)
        raise _error(f"XML not readable: {reason}", 0) from None
    return Document(root, builder.namespace, builder.lines)


def _error(detail: str, offset: int) -> ParseError:
    return ParseError(detail, position=Position(offset=max(offset, 0)))
