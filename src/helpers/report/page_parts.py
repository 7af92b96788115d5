"""Chapter pages as a tree of their markup, to copy whole or cut at section headings.

The one-file report and the subgroup bundles copy what the exporter published (already
escaped and checked) rather than rendering chapters again. A bundle may take only some
sections of a chapter, and a section's content is spread over several notebook output
areas after its heading, so it is found in the page's structure: the page is parsed with
the standard library's HTML parser into a small tree that keeps every tag exactly as it was
written, the tree is pruned to what follows the chosen headings, and the rest is written
back unchanged. (Regular expressions cannot tell where a nested element ends.)

A *section heading* is an ``h2``-``h4`` whose text starts with a dotted number (``7.7
Child sexual abuse``); what follows it, up to the next section heading, is that section,
and ``7.7.1`` belongs to ``7.7``. What comes before the first one (the page header, the key
figures) belongs to no section; the page footer (the symbols key and data source) goes
with every cut, because the sections' figures use its symbols.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser

#: Elements that never have content or an end tag.
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "source", "track", "wbr"})
SECTION_HEADINGS = frozenset({"h2", "h3", "h4"})
_NUMBER = re.compile(r"(\d+(?:\.\d+)+)(?:\s|$)")
_NAME = re.compile(r"<\s*([^\s/>]+)")


@dataclass
class Node:
    """An element (``tag`` set, with its start and end tags as written) or a piece of raw
    markup (``tag`` empty: text, an entity, a comment), in document order."""

    tag: str = ""
    start: str = ""
    end: str = ""
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)

    def markup(self) -> str:
        """The node as HTML, exactly as it was parsed (apart from changed attributes)."""
        return self.start + "".join(c.markup() for c in self.children) + self.end

    def text(self) -> str:
        """The text a reader sees, with entities decoded and spaces collapsed."""
        return " ".join(html.unescape("".join(_raw_text(self))).split())

    def walk(self) -> Iterator[Node]:
        """This node and every node inside it, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def with_attr(self, name: str, value: str) -> Node:
        """A copy whose start tag sets ``name`` to ``value`` (other attributes kept)."""
        attrs = {**self.attrs, name: value}
        tag = _NAME.match(self.start)
        written = tag.group(1) if tag else self.tag
        shown = "".join(f" {k}" if v is None else f' {k}="{html.escape(v, quote=True)}"'
                        for k, v in attrs.items())
        close = "/>" if self.start.rstrip().endswith("/>") else ">"
        return replace(self, start=f"<{written}{shown}{close}", attrs=attrs)


def _raw_text(node: Node) -> Iterator[str]:
    if not node.tag:
        if not node.start.startswith("<"):
            yield node.start
        return
    for child in node.children:
        yield from _raw_text(child)


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.root = Node("#root")
        self.stack = [self.root]

    def _add(self, node: Node) -> None:
        self.stack[-1].children.append(node)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, self.get_starttag_text() or f"<{tag}>", "", dict(attrs))
        self._add(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._add(Node(tag, self.get_starttag_text() or f"<{tag}/>", "", dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            node = self.stack[depth]
            if node.tag == tag:
                name = _NAME.match(node.start)
                node.end = f"</{name.group(1) if name else tag}>"  # keeps SVG's clipPath
                del self.stack[depth:]
                return
        self._add(Node(start=f"</{tag}>"))  # a stray end tag, kept as written

    def handle_data(self, data: str) -> None:
        self._add(Node(start=data))

    def handle_entityref(self, name: str) -> None:
        self._add(Node(start=f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self._add(Node(start=f"&#{name};"))

    def handle_comment(self, data: str) -> None:
        self._add(Node(start=f"<!--{data}-->"))

    def handle_decl(self, decl: str) -> None:
        self._add(Node(start=f"<!{decl}>"))

    def handle_pi(self, data: str) -> None:
        self._add(Node(start=f"<?{data}>"))

    def unknown_decl(self, data: str) -> None:
        self._add(Node(start=f"<![{data}]>"))


def parse(text: str) -> Node:
    """The markup as a tree under a root node (``root.markup()`` gives ``text`` back)."""
    builder = _Builder()
    builder.feed(text)
    builder.close()
    return builder.root


def main_content(text: str) -> list[Node]:
    """What a page's ``<main id="content">`` holds (nothing if it has none)."""
    for node in parse(text).walk():
        if node.tag == "main" and node.attrs.get("id") == "content":
            return node.children
    return []


def section_number(node: Node) -> str | None:
    """The section a heading opens (``"7.7"``), or None if it is not a section heading."""
    if node.tag not in SECTION_HEADINGS:
        return None
    found = _NUMBER.match(node.text())
    return found.group(1) if found else None


def in_sections(number: str | None, wanted: Iterable[str]) -> bool:
    """Whether section ``number`` is one of ``wanted`` or inside one (7.7.1 is in 7.7)."""
    return number is not None and any(number == w or number.startswith(f"{w}.")
                                      for w in wanted)


def section_headings(nodes: Iterable[Node]) -> list[tuple[str, Node]]:
    """Every section heading in ``nodes``: (its number, the heading)."""
    out = []
    for top in nodes:
        for node in top.walk():
            number = section_number(node)
            if number is not None:
                out.append((number, node))
    return out


def cut(nodes: Iterable[Node], wanted: Iterable[str]) -> list[Node]:
    """The parts of ``nodes`` inside the sections ``wanted`` (with their headings), each
    wrapped in the elements it was in, plus the page footer; nothing of other sections."""
    chosen = tuple(wanted)
    current: list[str | None] = [None]

    def keep(node: Node) -> Node | None:
        number = section_number(node)
        if number is not None:
            current[0] = number
            return node if in_sections(number, chosen) else None
        if node.tag == "footer" and "lscp-footer" in (node.attrs.get("class") or "").split():
            return node
        if not node.tag or node.tag in VOID or not node.children:
            return node if in_sections(current[0], chosen) else None
        kept = [k for k in (keep(child) for child in node.children) if k is not None]
        return replace(node, children=kept) if kept else None

    return [k for k in (keep(node) for node in nodes) if k is not None]


def rewrite(nodes: list[Node], change: Callable[[Node], Node]) -> list[Node]:
    """A copy of ``nodes`` with every element replaced by ``change(element)`` (which returns
    the element itself to keep it), in document order, children after their parent."""
    out = []
    for node in nodes:
        if node.tag:
            changed = change(node)
            children = rewrite(changed.children, change)
            if any(new is not old for new, old in zip(children, changed.children, strict=True)):
                changed = replace(changed, children=children)
            node = changed
        out.append(node)
    return out


def markup(nodes: Iterable[Node]) -> str:
    """The nodes as HTML."""
    return "".join(node.markup() for node in nodes)
