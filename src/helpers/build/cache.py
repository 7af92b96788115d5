"""What a published chapter was built from, and whether it must be built again.

Everything here uses the standard library only, on purpose: a rebuild where nothing has
changed must finish in about a second, and importing pandas, papermill or matplotlib
alone takes longer than that (engineering notes). The runner imports the heavy machinery
only after this module has found something to run.

Three caches, each keyed by a fingerprint of exactly what determines the result:

* **Processed data** (``data/processed/<year>/_fingerprint``, written by
  :mod:`helpers.data.processing`): the raw files of the year plus every module of the
  data stage (all of ``helpers/data/``), ``config.py`` and the partnership file.
  :func:`processing_stamp` recomputes that stamp without importing the data stage.
* **A chapter** (``build-manifest.json``): its notebook, the parameters, the processed
  data of the five trend years, the partnership file, the nbconvert templates and
  resources, and the source of every ``helpers`` module the notebook imports, followed
  transitively (:func:`code_dependencies`), plus the modules that turn it into a page.
  Editing the demo generator therefore rebuilds nothing; editing an indicator module
  rebuilds the chapters that import it.
* **Calibration** (also in the manifest): the processed data and the code the calibration
  module imports; a no-change build reuses its notes instead of recomputing 223 figures.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from helpers import config
from helpers.data import stamps
from helpers.report.index_pages import atomic_write_text

HELPERS_DIR = Path(__file__).resolve().parents[1]
SRC_DIR = HELPERS_DIR.parent
MANIFEST_NAME = "build-manifest.json"
#: Bumped when the build changes how a page is produced, so old caches are not trusted.
MANIFEST_VERSION = 2
KERNEL_NAME = "python3"
#: A chapter shows trends over this many years, so their data is part of its inputs.
TREND_LENGTH = 5
#: Modules that shape a page besides the notebook's own imports: the HTML export.
EXPORT_MODULES = ("helpers.report.html_export",)
#: What the calibration step imports (measures are registered by ``helpers.indicators``).
CALIBRATION_MODULES = ("helpers.build.calibration", "helpers.indicators")
#: Written by the processing step; its content is :func:`processing_stamp`.
PROCESSED_STAMP = "_fingerprint"
META_FILE = "dataset.json"


# --------------------------------------------------------------------------- snapshot

#: The lookups of the innermost :func:`one_snapshot` block (none outside one).
_SNAPSHOTS: list[dict[tuple[str, Any], Any]] = []


@contextlib.contextmanager
def one_snapshot() -> Iterator[None]:
    """Read the source tree once for everything planned inside this block.

    The fourteen chapters of a year (and the five years of a batch) import mostly the
    same modules, so without this each module's file was found, its imports looked up
    and its bytes read once per chapter: a fifth of a second of planning, spent before
    any chapter can start. A plan describes the code at one moment anyway; a file that
    changes while the build runs is caught by the next build's fingerprints.
    """
    _SNAPSHOTS.append({})
    try:
        yield
    finally:
        _SNAPSHOTS.pop()


def _looked_up(kind: str, key: Any, find: Callable[[], Any]) -> Any:
    """``find()``, once per ``(kind, key)`` inside :func:`one_snapshot`."""
    if not _SNAPSHOTS:
        return find()
    seen = _SNAPSHOTS[-1]
    if (kind, key) not in seen:
        seen[kind, key] = find()
    return seen[kind, key]


# --------------------------------------------------------------------------- hashing


def _feed(digest: Any, label: str, data: bytes) -> None:
    """Add a labelled, length-prefixed item so different inputs can never collide."""
    name = label.encode()
    digest.update(len(name).to_bytes(8, "big") + name)
    digest.update(len(data).to_bytes(8, "big") + data)


def files_under(root: Path) -> list[Path]:
    """Regular files below ``root``, sorted; caches and hidden temp files are not inputs."""
    if not root.is_dir():
        return []
    files = []
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
            continue
        if path.suffix == ".pyc" or not path.is_file():
            continue
        files.append(path)
    return sorted(files)


def _label(path: Path) -> str:
    """A path as a stable label: relative to ``src/`` or the repository where possible."""
    return str(_looked_up("label", path, lambda: _find_label(path)))


def _find_label(path: Path) -> str:
    for base in (SRC_DIR, config.REPO_ROOT):
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return path.name


def digest_files(paths: Iterable[Path], prefix: str = "") -> str:
    """SHA-256 over labelled file contents; a missing file counts as an input too."""
    digest = hashlib.sha256()
    for path in paths:
        data = _looked_up("bytes", path,
                          lambda p=path: p.read_bytes() if p.is_file() else b"<missing>")
        _feed(digest, prefix + _label(path), data)
    return digest.hexdigest()


def data_fingerprint(year: str, processed_dir: Path) -> str:
    """Hash of one year's processed tables: which extract a page was computed from."""
    year_dir = Path(processed_dir) / year
    digest = hashlib.sha256()
    for path in files_under(year_dir):
        _feed(digest, path.relative_to(year_dir).as_posix(), path.read_bytes())
    return digest.hexdigest()


# --------------------------------------------------------------------------- data stage


def data_stage_code_files() -> list[tuple[str, Path]]:
    """The data stage's code files, as processing hashes them (:mod:`helpers.data.stamps`)."""
    return stamps.code_files(HELPERS_DIR)


def processing_stamp(raw_year_dir: Path) -> str:
    """The stamp processing writes for ``raw_year_dir``, computed without pandas: the same
    function processing uses (:func:`helpers.data.stamps.fingerprint`)."""
    return stamps.fingerprint(Path(raw_year_dir), HELPERS_DIR)


def processed_is_current(year: str, raw_dir: Path, processed_dir: Path) -> bool:
    """True if processing ``year`` would find nothing to do (its stamp matches)."""
    stamp = Path(processed_dir) / year / PROCESSED_STAMP
    try:
        return stamp.read_text() == processing_stamp(Path(raw_dir) / year)
    except OSError:
        return False


def read_processed_meta(year: str, processed_dir: Path) -> dict[str, Any]:
    """The dataset description processing copied beside the tables (validated there)."""
    path = Path(processed_dir) / year / META_FILE
    return dict(json.loads(path.read_text(encoding="utf-8")))


# --------------------------------------------------------------------------- code deps


def module_file(name: str) -> Path | None:
    """The source file of ``helpers.x.y`` (module or package), found without importing."""
    found: Path | None = _looked_up("module", (SRC_DIR, name), lambda: _find_module(name))
    return found


def _find_module(name: str) -> Path | None:
    parts = name.split(".")
    if parts[0] != "helpers":
        return None
    base = SRC_DIR.joinpath(*parts)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _resolve_relative(module: str | None, level: int, current: str, is_package: bool) -> str:
    """``from ..x import y`` inside ``current`` -> the absolute module name."""
    if level == 0:
        return module or ""
    parts = current.split(".")
    base = parts if is_package else parts[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, module] if module else base)


def imported_names(tree: ast.AST, current: str = "", is_package: bool = False) -> set[str]:
    """Every module a syntax tree may import, including ``from pkg import submodule``.

    Imports inside functions count too: they run as soon as the function is called.
    """
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve_relative(node.module, node.level, current, is_package)
            if not base:
                continue
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
    return names


def _with_parents(name: str) -> list[str]:
    """``helpers.a.b`` -> its packages too: importing a module runs their ``__init__``."""
    parts = name.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def _module_imports(path: Path, name: str) -> frozenset[str]:
    """The ``helpers`` modules one source file imports (kept per file version by
    :class:`ImportsCache`)."""
    tree = ast.parse(path.read_bytes(), filename=str(path))
    found = imported_names(tree, name, path.name == "__init__.py")
    return frozenset(n for n in found if n.split(".")[0] == "helpers")


#: Overrides where :class:`ImportsCache` keeps its file (tests point it at a temp folder).
CACHE_DIR_ENV = "LSCP_CACHE_DIR"


def imports_cache_path() -> Path:
    """``$LSCP_CACHE_DIR``, else the user's cache folder (``$XDG_CACHE_HOME`` or
    ``~/.cache``), ``lscp-report-pack/module-imports.json``: outside the repository and
    the reports, since it holds nothing anyone reads."""
    base = os.environ.get(CACHE_DIR_ENV) or os.environ.get("XDG_CACHE_HOME")
    folder = Path(base) if base else Path.home() / ".cache"
    return folder / "lscp-report-pack" / "module-imports.json"


class ImportsCache:
    """The ``helpers`` imports of each source file, kept between builds.

    Parsing the ~70 modules the chapters import was a fifth of a second of every build,
    the no-change rebuild and the one-chapter rebuild included. An entry holds for the
    file version it was read from (path, module name, size and modification time, as the
    processed data's stamps do); any other version is parsed again. The file is only a
    cache: unreadable, it is ignored, and it is replaced whole (never half-written).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, list[Any]] = {}
        self.changed = False
        with contextlib.suppress(OSError, ValueError, TypeError):
            loaded = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                self.entries = loaded

    def imports(self, path: Path, name: str) -> frozenset[str]:
        info = path.stat()
        version = [name, info.st_size, info.st_mtime_ns]
        entry = self.entries.get(str(path))
        if isinstance(entry, list) and len(entry) == 4 and entry[:3] == version:
            return frozenset(entry[3])
        found = _module_imports(path, name)
        self.entries[str(path)] = [*version, sorted(found)]
        self.changed = True
        return found

    def save(self) -> None:
        if not self.changed:
            return
        with contextlib.suppress(OSError):
            atomic_write_text(self.path, json.dumps(self.entries, sort_keys=True))
            self.changed = False


class StoredAnswer:
    """One answer kept between builds under the fingerprint of what it was worked out
    from, in a JSON file beside :class:`ImportsCache`'s: asked again with another
    fingerprint, it is worked out again. Only a cache: unreadable, it is ignored, and it
    is replaced whole (never half-written)."""

    def __init__(self, name: str) -> None:
        self.path = imports_cache_path().with_name(name)

    def get(self, key: str) -> Any | None:
        """The answer stored under ``key``, or None."""
        with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
            stored = json.loads(self.path.read_text(encoding="utf-8"))
            if stored.get("key") == key:
                return stored.get("answer")
        return None

    def put(self, key: str, answer: Any) -> None:
        with contextlib.suppress(OSError):
            atomic_write_text(self.path, json.dumps({"key": key, "answer": answer},
                                                    sort_keys=True))


def code_dependencies(roots: Iterable[str]) -> list[Path]:
    """Source files of the ``helpers`` modules ``roots`` import, followed transitively.

    Static analysis of ``import`` statements (no code is run). Names that are not modules
    (``from helpers.x import some_function``) are dropped; a dynamic ``importlib`` call
    would be missed, which is why chapters import their helpers plainly.
    """
    seen: set[str] = set()
    files: dict[str, Path] = {}
    pending = [p for root in roots for p in _with_parents(root)]
    known = _imports_cache(imports_cache_path())
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        path = module_file(name)
        if path is None:
            continue
        files[name] = path
        imports = _looked_up("imports", (path, name),
                             lambda p=path, n=name: known.imports(p, n))
        for imported in imports:
            pending.extend(p for p in _with_parents(imported) if p not in seen)
    known.save()
    return sorted(files.values())


def _cell_source(source: str | Sequence[str]) -> str:
    """A code cell as Python: IPython magics and shell escapes become ``pass``."""
    text = source if isinstance(source, str) else "".join(source)
    lines = []
    for line in text.splitlines():
        stripped = line.lstrip()
        if stripped.startswith(("%", "!", "?")):
            line = line[: len(line) - len(stripped)] + "pass"
        lines.append(line)
    return "\n".join(lines)


def notebook_imports(notebook: Path) -> set[str]:
    """Every module the code cells of ``notebook`` import.

    A cell that is not valid Python even without its magics makes the notebook depend on
    the whole ``helpers`` package (bar the demo generator): a cache that misses a
    dependency would publish stale pages, one that over-counts only rebuilds.
    """
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    names: set[str] = set()
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        try:
            names |= imported_names(ast.parse(_cell_source(cell.get("source", ""))))
        except SyntaxError:
            names |= all_helpers_modules()
    return names


def all_helpers_modules() -> set[str]:
    """Every module of the package except the demo generator (the conservative fallback)."""
    names = set()
    for path in HELPERS_DIR.rglob("*.py"):
        rel = path.relative_to(SRC_DIR).with_suffix("")
        parts = list(rel.parts[:-1]) if rel.name == "__init__" else list(rel.parts)
        if len(parts) > 1 and parts[1] == "demo":
            continue
        names.add(".".join(parts))
    return names


def chapter_modules() -> list[str]:
    """The chapter modules (``helpers.chapters.chNN_slug``), found without importing."""
    folder = HELPERS_DIR / "chapters"
    return sorted(f"helpers.chapters.{p.stem}" for p in folder.glob("ch[0-9][0-9]_*.py"))


def chapters_fingerprint() -> str:
    """Hash of what the chapter modules declare from: their code and what it imports, the
    resources (the report's vocabulary) and the partnership file."""
    files = code_dependencies(["helpers.chapters.declarations", *chapter_modules()])
    return digest_files([*files, *files_under(config.RESOURCES_DIR), config.CONFIG_FILE])


def chapter_code_files(notebook: Path) -> list[Path]:
    """The helpers modules a chapter's page depends on: its imports and the HTML export."""
    roots = {n for n in notebook_imports(notebook) if n.split(".")[0] == "helpers"}
    return code_dependencies(sorted(roots | set(EXPORT_MODULES)))


@lru_cache(maxsize=4)
def _imports_cache(path: Path) -> ImportsCache:
    """One :class:`ImportsCache` per file and process (read once, saved when it grew)."""
    return ImportsCache(path)


# --------------------------------------------------------------------------- fingerprints


def shared_fingerprint(year: str, processed_dir: Path) -> str:
    """Hash of the inputs every chapter of ``year`` shares, whatever code it imports.

    The partnership settings, the nbconvert templates and other resources, and the
    processed data for the year and the four before it, since chapters draw trends.
    """
    digest = hashlib.sha256()
    _feed(digest, "format", str(MANIFEST_VERSION).encode())
    if config.CONFIG_FILE.is_file():
        _feed(digest, "config/partnership.toml", config.CONFIG_FILE.read_bytes())
    for path in files_under(config.RESOURCES_DIR):
        _feed(digest, f"resources/{path.relative_to(config.RESOURCES_DIR).as_posix()}",
              path.read_bytes())
    for trend_year in config.trend_years(year, TREND_LENGTH):
        year_dir = Path(processed_dir) / trend_year
        for path in files_under(year_dir):
            label = f"data/{trend_year}/{path.relative_to(year_dir).as_posix()}"
            _feed(digest, label, path.read_bytes())
    return digest.hexdigest()


def chapter_fingerprint(chapter: Any, year: str, shared: str) -> str:
    """Hash of everything that determines one chapter's output for one year.

    The injected paths are left out on purpose: the output folder is a fresh random
    staging folder every run, and the data itself is already hashed in ``shared``.
    """
    digest = hashlib.sha256()
    _feed(digest, "shared", shared.encode())
    _feed(digest, f"notebook/{chapter.path.name}", chapter.path.read_bytes())
    _feed(digest, "code", digest_files(chapter_code_files(chapter.path)).encode())
    parameters = {"year": year, "kernel_name": KERNEL_NAME}
    _feed(digest, "parameters", json.dumps(parameters, sort_keys=True).encode())
    return digest.hexdigest()


def calibration_fingerprint(year: str, processed_dir: Path) -> str:
    """Hash of what calibration reads: its code, the published facts and the data."""
    digest = hashlib.sha256()
    _feed(digest, "code", digest_files(code_dependencies(CALIBRATION_MODULES)).encode())
    _feed(digest, "shared", shared_fingerprint(year, processed_dir).encode())
    return digest.hexdigest()


# --------------------------------------------------------------------------- manifest


def empty_manifest() -> dict[str, Any]:
    return {"version": MANIFEST_VERSION, "chapters": {}}


def load_manifest(year_dir: Path) -> dict[str, Any]:
    """The manifest of the published report; an unreadable one just means "rebuild all"."""
    try:
        data = json.loads((Path(year_dir) / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return empty_manifest()
    if data.get("version") != MANIFEST_VERSION or not isinstance(data.get("chapters"), dict):
        return empty_manifest()
    return data


def chapter_outputs(chapter: Any, with_figures: bool) -> list[str]:
    """Published files of a chapter, relative to ``reports/<year>/``."""
    outputs = [f"{chapter.name}.html", f"notebooks/{chapter.name}.ipynb"]
    if with_figures:
        outputs.append(f"figures/{chapter.code}.csv")
    return outputs


def is_up_to_date(entry: Mapping[str, Any] | None, fingerprint: str, year_dir: Path) -> bool:
    """True if the published chapter was built from identical inputs and is all there."""
    if not entry or entry.get("fingerprint") != fingerprint:
        return False
    return all((Path(year_dir) / rel).is_file() for rel in entry.get("outputs", []))


def calibration_is_current(manifest: Mapping[str, Any], fingerprint: str,
                           year_dir: Path) -> bool:
    """True if the published calibration was computed from the same code and data."""
    entry = manifest.get("calibration")
    return bool(entry) and is_up_to_date(entry, fingerprint, year_dir)


def page_provenance(year_dir: Path, current_extract: Mapping[str, Any] | None = None
                    ) -> dict[str, dict[str, Any]]:
    """Per published chapter: the extract and build date its page came from.

    ``current`` is True when the page was computed from the extract the folder's latest
    build read (``current_extract``, default: the one the manifest records), False for a
    page kept from an earlier extract because its chapter failed since. The index uses
    it to mark pages from earlier data.
    """
    manifest = load_manifest(year_dir)
    return provenance_of(manifest["chapters"], current_extract or manifest.get("extract"))


def provenance_of(entries: Mapping[str, Any], current_extract: Mapping[str, Any] | None
                  ) -> dict[str, dict[str, Any]]:
    """:func:`page_provenance` from manifest chapter entries already in hand (e.g. the
    ones a build is about to write), against ``current_extract``."""
    latest = dict(current_extract or {})
    out = {}
    for name, entry in sorted(entries.items()):
        extract = entry.get("extract") or {}
        out[name] = {
            "extract_date": extract.get("extract_date"),
            "data_fingerprint": extract.get("data_fingerprint"),
            "built_at": entry.get("built_at"),
            "current": bool(latest) and extract.get("data_fingerprint")
            == latest.get("data_fingerprint"),
        }
    return out
