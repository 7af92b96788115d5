"""Keep pages safe to circulate: text from data is shown as text, never run as code.

A report is emailed round and opened by people who trust it, so nothing that came from a
data file or a narrative file may become live markup. Two rules do that:

* narrative markdown is rendered by :func:`markdown_html`, with raw HTML switched off
  (``markdown-it-py`` with ``html=False``): a ``<script>`` typed into ``narrative/06.md``
  prints as the text ``<script>``, and links may only point to the web, mail or the page
  itself (markdown-it refuses ``javascript:``, ``vbscript:`` and ``data:`` URLs);
* every other string is escaped with :func:`html.escape` where it reaches HTML.

:func:`executable_markup` is the check the exporter runs on every finished page, so a
slip anywhere in the report layer fails the build instead of reaching a reader.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html.parser import HTMLParser
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

__all__ = ["executable_markup", "markdown_html"]

#: Elements that run code or pull in another document.
_ACTIVE_TAGS = frozenset({"script", "iframe", "object", "embed", "frame", "frameset", "applet",
                          "base", "portal"})
#: Attributes whose value is a URL a browser may follow or load.
_URL_ATTRS = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "poster",
                        "background", "lowsrc", "srcset"})
_SCRIPT_URL = re.compile(r"^(?:javascript:|vbscript:|data:text/html)", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x20]+")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    """CommonMark plus tables, with raw HTML off (``html=False``) and no auto-linking."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}
                      ).enable("table")


def markdown_html(text: str) -> str:
    """Markdown from a person or a data file as HTML in which any HTML they typed is text."""
    return _parser().render(str(text))


class _Finder(HTMLParser):
    def __init__(self, allowed_scripts: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.allowed = allowed_scripts
        self.found: list[str] = []
        self._script: list[str] | None = None
        self._script_tag = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        for name, value in attrs:
            name = name.lower()
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in _URL_ATTRS and value and _SCRIPT_URL.match(_CONTROL.sub("", value)):
                self.found.append(f"<{tag} {name}={value[:40]!r}>")
            if (tag == "meta" and name == "http-equiv" and value
                    and value.strip().lower() == "refresh"):
                self.found.append("<meta http-equiv=refresh>")
        if tag == "script":
            self._script, self._script_tag = [], self.get_starttag_text() or "<script>"
        elif tag in _ACTIVE_TAGS:
            self.found.append(f"<{tag}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag.lower() == "script":
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag.lower() == "script" and self._script is not None:
            body = "".join(self._script).strip()
            if body not in self.allowed or "src=" in self._script_tag.lower():
                self.found.append(f"{self._script_tag[:60]}{body[:40]}")
            self._script = None

    def close(self) -> None:
        super().close()
        if self._script is not None:  # an unclosed <script> runs to the end of the page
            self.found.append(self._script_tag[:60])


def executable_markup(page: str, allowed_scripts: frozenset[str] = frozenset()) -> list[str]:
    """Every piece of markup in ``page`` a browser would run: ``<script>`` (other than the
    exact inline scripts in ``allowed_scripts``), ``on*=`` handlers, ``javascript:`` URLs,
    frames and embedded objects, refresh redirects. Empty means the page only displays."""
    finder = _Finder(frozenset(s.strip() for s in allowed_scripts))
    finder.feed(page)
    finder.close()
    return finder.found
