"""Warm kernels: run chapter notebooks without paying a kernel start and imports each.

A cold papermill run spends ~2.8 s per chapter starting a kernel and importing pandas,
seaborn, matplotlib and the helpers, more than most chapters spend on their own work
(engineering notes). Here each worker process starts one kernel, imports into it what
the chapters import (found statically, :func:`helpers.build.cache.notebook_imports`), and
runs chapter after chapter on it:

* **Same notebook as a cold run.** Execution still goes through
  ``papermill.execute_notebook`` (parameter injection, papermill metadata, error
  markers), with an engine that hands papermill's notebook client the live kernel
  instead of starting one.
* **Fresh namespace per chapter.** Before each chapter the kernel's user namespace is
  emptied with IPython's own ``reset`` (every global, ``In``/``Out`` and the output
  history), the execution counter goes back to 1, the working directory, ``sys.path``
  and the warning filters are restored, and matplotlib figures are closed and its
  settings restored to their state after the imports. Loaded modules stay loaded: that is
  the whole saving, and the chapters keep their state in objects they create, not in
  module globals.
* **Shared work done once.** Processed tables are read once per kernel, and figures
  computed from the same unchanged files are kept for the next chapter and the next year
  of a batch (:func:`helpers.data.loading.share_results`: a year's figures are keyed by
  the size and modification time of its files and the earlier years', so a changed file
  is never read stale).
* **A crash costs one chapter.** A kernel that dies (``os._exit`` in a cell, killed for
  memory) makes its chapter fail with ``DeadKernelError``; the worker starts and warms a
  new kernel and goes on with its next chapter.

Worker processes also skip ``rfc3987_syntax``, which jsonschema imports for two URI
format checks nbformat never uses and which costs ~0.95 s of grammar building at import.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from helpers.build.cache import SRC_DIR
from helpers.build.plan import ChapterJob, ChapterResult

KERNEL_NAME = "python3"
ENGINE_NAME = "lscp-warm"
STATE_MODULE = "_lscp_warm_kernel"
# Unix socket paths must stay under ~104 bytes (macOS) / 108 (Linux).
_MAX_SOCKET_PREFIX = 90

#: Run once in a new kernel: import what the chapters import, remember the clean state.
_WARM_UP = r'''
def _lscp_warm_up(preload):
    import importlib, os, sys, types, warnings
    for name in preload:
        try:
            importlib.import_module(name)
        except Exception:
            pass  # the chapter will meet the same error and report it in its own cell
    loading = sys.modules.get("helpers.data.loading")
    if loading is not None:  # chapters and years share figures computed from the same files
        loading.share_results(True)
    state = types.ModuleType("{state}")
    state.path = list(sys.path)
    state.filters = list(warnings.filters)
    mpl = sys.modules.get("matplotlib")
    state.rc = {{k: v for k, v in mpl.rcParams.items() if k != "backend"}} if mpl else None

    def reset(cwd):
        import gc
        plt = sys.modules.get("matplotlib.pyplot")
        if plt is not None:
            plt.close("all")
        if state.rc is not None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                sys.modules["matplotlib"].rcParams.update(state.rc)
        warnings.filters[:] = state.filters
        warnings.onceregistry.clear()
        warnings._filters_mutated()
        sys.path[:] = state.path
        os.chdir(cwd)
        from IPython import get_ipython

        shell = get_ipython()
        # Everything a chapter left: its globals, In/Out (the kernel keeps no history
        # database and no output cache, see KERNEL_ARGUMENTS).
        shell.reset(new_session=True)
        shell.execution_count = 1
        gc.collect()
        # What is still alive here (modules, figures kept for the next chapter) lives as
        # long as the kernel: freezing it keeps every later collection, the two in the
        # next reset and the automatic ones while a chapter runs, to what that chapter
        # made. Without this each reset walked the whole heap twice, ~0.35 s a chapter
        # in a five-year batch.
        gc.freeze()

    state.reset = reset
    sys.modules["{state}"] = state
    import gc
    gc.collect()
    gc.freeze()

_lscp_warm_up({preload!r})
del _lscp_warm_up
'''

#: A warm kernel keeps no input history in IPython's SQLite file and no output cache
#: (``Out``, ``_``): no chapter reads them, a build is not an interactive session, and
#: writing the one and clearing the other (a full garbage collection) cost every chapter
#: ~25 ms at each reset. What the notebook records is the same either way.
KERNEL_ARGUMENTS = ("--HistoryManager.enabled=False", "--InteractiveShell.cache_size=0")

#: Run before every chapter (silently: no history, no execution count).
_RESET = "__import__('sys').modules['{state}'].reset({cwd!r})"


def run_sync(coro_fn: Any) -> Any:
    """Call an async jupyter_client method from plain code (as nbclient does)."""
    from jupyter_core.utils import run_sync as _run_sync

    return _run_sync(coro_fn)


def _block_slow_imports() -> None:
    """Keep jsonschema from importing ``rfc3987_syntax`` (see the module docstring)."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def _first_line(text: str, limit: int = 300) -> str:
    line = next((ln.strip() for ln in str(text).splitlines() if ln.strip()), "")
    return line if len(line) <= limit else line[: limit - 1] + "…"


def kernel_config(socket_dir: Path) -> Any:
    """Talk to the kernel over local IPC sockets in ``socket_dir`` rather than TCP ports.

    Nothing listens on the network, and ipykernel does not print its "running over TCP
    without encryption" warning. Each kernel needs its own socket folder: with a shared
    one, two parallel kernels pick the same socket names and receive each other's
    messages. If the temp folder's path is too long for a socket, TCP it is.
    """
    from traitlets.config import Config

    config = Config()
    prefix = str(socket_dir / "k")
    if len(prefix.encode()) <= _MAX_SOCKET_PREFIX:
        config.KernelManager.transport = "ipc"
        config.KernelManager.ip = prefix
    return config


def kernel_env() -> dict[str, str]:
    """The environment for a kernel: this one, with this package first on the path.

    The build fingerprints the ``helpers`` it is running from; the chapters must import
    that same copy, not another one a relative ``PYTHONPATH`` or an installed checkout
    would find from the notebooks' folder.
    """
    env = dict(os.environ)
    paths = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join([str(SRC_DIR), *paths])
    return env


def _register_engine() -> None:
    """A papermill engine that runs on a live kernel (``km``/``kc``) instead of a new one."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger

    if ENGINE_NAME in papermill_engines._engines:
        return

    class WarmEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, log_output: bool = False,
                                     stdout_file: Any = None, stderr_file: Any = None,
                                     start_timeout: int = 60, execution_timeout: Any = None,
                                     **kwargs: Any) -> Any:
            km, kc = kwargs.pop("km"), kwargs.pop("kc")
            partial_path = kwargs.pop("partial_path", None)
            kwargs.pop("input_path", None)
            client = PapermillNotebookClient(
                nb_man, km=km, timeout=execution_timeout, startup_timeout=start_timeout,
                kernel_name=kernel_name, log=logger, log_output=log_output,
                stdout_file=stdout_file, stderr_file=stderr_file, **kwargs)
            client.kc = kc
            try:
                return client.execute()
            except Exception:
                # A dead kernel is not a cell error, so papermill saved nothing: keep
                # what ran, with its outputs, for the failed/ folder.
                if partial_path is not None:
                    from papermill.iorw import write_ipynb

                    write_ipynb(nb_man.nb, str(partial_path))
                raise

    papermill_engines.register(ENGINE_NAME, WarmEngine)


class WarmKernel:
    """One pre-started, pre-imported kernel that runs chapters one after another."""

    def __init__(self, preload: Sequence[str], cwd: Path) -> None:
        self.preload = list(preload)
        self.cwd = Path(cwd)
        self.km: Any = None
        self.kc: Any = None
        self._socket_dir: tempfile.TemporaryDirectory[str] | None = None
        self._warm_msg: str | None = None
        self.starts = 0

    # ------------------------------------------------------------------ life cycle

    def start(self) -> None:
        """Start the kernel and send the imports; does not wait for them (see ready).

        The asynchronous manager and client are the ones nbclient itself uses: with a
        blocking client, nbclient cannot notice a dead kernel while it waits for output.
        """
        from jupyter_client import AsyncKernelManager

        self._socket_dir = tempfile.TemporaryDirectory(prefix="lscp-")
        self.km = AsyncKernelManager(kernel_name=KERNEL_NAME,
                                     config=kernel_config(Path(self._socket_dir.name)))
        run_sync(self.km.start_kernel)(cwd=str(self.cwd), env=kernel_env(),
                                       extra_arguments=list(KERNEL_ARGUMENTS))
        self.kc = self.km.client()
        self.kc.allow_stdin = False
        self.kc.start_channels()
        code = _WARM_UP.format(state=STATE_MODULE, preload=tuple(self.preload))
        self._warm_msg = self.kc.execute(code, silent=True, store_history=False)
        self.starts += 1

    def ready(self, timeout: float = 120) -> None:
        """Wait until the warm-up imports have finished."""
        if self._warm_msg is None:
            return
        # Not ``kc.wait_for_ready``: it discards shell replies, this one among them. The
        # request was queued by ZeroMQ until the kernel connected.
        self._wait_reply(self._warm_msg, timeout)
        self._warm_msg = None
        self._wait_for_output_channel(timeout)

    def _wait_for_output_channel(self, timeout: float) -> None:
        """Return once this client receives what the kernel publishes.

        ZeroMQ drops what a kernel publishes before the client's subscription has
        connected (the "slow joiner"). With a quick warm-up a chapter's first cell could
        run before that, its idle status would be lost, and nbclient would stop the
        chapter with a timeout 4 s later. (``kc.wait_for_ready`` waits for this too, but
        discards shell replies.) Kernel-info requests are sent until one's status
        message arrives; what was published before it is read and dropped here.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            msg_id = self.kc.kernel_info()
            self._wait_reply(msg_id, max(0.1, deadline - time.monotonic()))
            try:
                while True:
                    msg = run_sync(self.kc.get_iopub_msg)(timeout=0.2)
                    if msg["parent_header"].get("msg_id") == msg_id:
                        return
            except queue.Empty:
                continue
        raise TimeoutError("the kernel's output channel did not connect")

    def _wait_reply(self, msg_id: str, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            remaining = max(0.1, deadline - time.monotonic())
            try:
                reply = run_sync(self.kc.get_shell_msg)(timeout=min(1.0, remaining))
            except queue.Empty:
                if not self.alive():
                    raise RuntimeError("the kernel died while setting up") from None
                if time.monotonic() > deadline:
                    raise TimeoutError("no reply from the kernel") from None
                continue
            if reply["parent_header"].get("msg_id") == msg_id:
                if reply["content"].get("status") != "ok":
                    raise RuntimeError(f"kernel set-up failed: {reply['content'].get('evalue')}")
                return reply

    def shutdown(self) -> None:
        if self.kc is not None:
            self.kc.stop_channels()
            self.kc = None
        if self.km is not None:
            with contextlib.suppress(Exception):  # already dead is fine
                run_sync(self.km.shutdown_kernel)(now=True)
            self.km = None
        if self._socket_dir is not None:
            self._socket_dir.cleanup()
            self._socket_dir = None

    def restart(self) -> None:
        """A new kernel after a crash: shut down what is left, start and warm again."""
        self.shutdown()
        self.start()
        self.ready()

    def alive(self) -> bool:
        return self.km is not None and bool(run_sync(self.km.is_alive)())

    # ------------------------------------------------------------------ chapters

    def reset(self, cwd: Path, timeout: float = 60) -> None:
        """Give the next chapter an empty namespace and the kernel's clean state."""
        self.ready()
        msg_id = self.kc.execute(_RESET.format(state=STATE_MODULE, cwd=str(cwd)),
                                 silent=True, store_history=False)
        self._wait_reply(msg_id, timeout)

    def execute(self, source: Path, target: Path, parameters: dict[str, Any], cwd: Path) -> Any:
        """Run one notebook on this kernel through papermill; returns the executed node."""
        import papermill

        if not self.alive():
            self.restart()
        self.reset(cwd)
        return papermill.execute_notebook(
            str(source), str(target), parameters=parameters, engine_name=ENGINE_NAME,
            kernel_name=KERNEL_NAME, progress_bar=False, log_output=False,
            request_save_on_cell_execute=False, km=self.km, kc=self.kc, partial_path=target,
        )


# --------------------------------------------------------------------------- one chapter


def _save_partial(source: Path, target: Path, exc: BaseException) -> None:
    """After a kernel died mid-notebook papermill saved nothing: keep the source, marked."""
    if target.exists():
        return
    try:
        nb = json.loads(Path(source).read_text(encoding="utf-8"))
        nb.setdefault("metadata", {})["lscp_build_error"] = f"{type(exc).__name__}: {exc}"
        target.write_text(json.dumps(nb, indent=1) + "\n", encoding="utf-8")
    except OSError:
        pass


def run_chapter_on(kernel: WarmKernel, job: ChapterJob) -> ChapterResult:
    """Execute one chapter on ``kernel`` and export its page. Never raises.

    The error is reduced to the line a reader needs first (``ename: evalue``); the full
    traceback is in the executed notebook. A dead kernel is replaced before returning,
    so the next chapter gets a working one.
    """
    from nbclient.exceptions import DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    from helpers.report.html_export import write_html

    started = time.monotonic()
    chapter = job.chapter
    executed = job.staging_dir / f"{chapter.name}.ipynb"
    error: str | None = None
    html_seconds = 0.0
    try:
        (job.staging_dir / "figures").mkdir(parents=True, exist_ok=True)
        nb = kernel.execute(chapter.path, executed, job.parameters, job.notebooks_dir)
        html_started = time.monotonic()
        write_html(nb, chapter.title, job.staging_dir / f"{chapter.name}.html")
        html_seconds = time.monotonic() - html_started
    except PapermillExecutionError as exc:
        error = _first_line(f"{exc.ename}: {exc.evalue}")
    except DeadKernelError as exc:
        error = _first_line(f"the kernel died while running this chapter ({exc})")
        _save_partial(chapter.path, executed, exc)
    except Exception as exc:
        error = _first_line(f"{type(exc).__name__}: {exc}")
    if not kernel.alive():
        try:
            kernel.restart()
        except Exception as exc:  # reported with the next chapter, which will try again
            print(f"could not restart the kernel: {exc}", file=sys.stderr)
    return ChapterResult(
        job.year, chapter, "failed" if error else "built", error=error,
        notebook=executed if executed.exists() else None,
        seconds=time.monotonic() - started, html_seconds=html_seconds,
    )


# --------------------------------------------------------------------------- worker pool

_KERNEL: WarmKernel | None = None


def _shutdown_worker_kernel() -> None:
    global _KERNEL
    if _KERNEL is not None:
        _KERNEL.shutdown()
        _KERNEL = None


def init_worker(preload: Sequence[str], cwd: str) -> None:
    """Worker process start: launch the kernel, then import papermill and nbconvert.

    The kernel imports its libraries while this process imports its own, so the two
    start-up costs overlap. Multiprocessing workers leave through ``os._exit``, which
    skips ``atexit``: the kernel is shut down by a multiprocessing finaliser instead.
    """
    global _KERNEL
    from multiprocessing import util

    _block_slow_imports()
    _KERNEL = WarmKernel(preload, Path(cwd))
    _KERNEL.start()
    util.Finalize(None, _shutdown_worker_kernel, exitpriority=10)
    warm_exporter()
    _KERNEL.ready()


def warm_exporter() -> None:
    """Import papermill and build the HTML exporter once per worker."""
    _block_slow_imports()
    import papermill  # noqa: F401

    from helpers.report import html_export

    _register_engine()
    html_export._exporter()


def run_in_worker(job: ChapterJob) -> ChapterResult:
    """Pool task: run ``job`` on this worker's warm kernel."""
    assert _KERNEL is not None, "init_worker was not run in this process"
    return run_chapter_on(_KERNEL, job)


def preload_modules(notebooks: Iterable[Path]) -> list[str]:
    """What the warm kernels import up front: every module the chapters' code imports."""
    from helpers.build.cache import notebook_imports

    names: set[str] = set()
    for path in notebooks:
        names |= {n for n in notebook_imports(path) if not n.startswith("_")}
    return sorted(names)
