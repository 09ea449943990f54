"""Run one picklable call at a time in a child process that is capped in memory and killed at a deadline.

Why a process: pdfminer can loop forever inside one page (a content stream that refers to itself),
or swell to gigabytes on one compressed stream, and no in-process timer or `except` stops C-level
loops or the clean-up that walks the pages again. A child under RLIMIT_AS fails its own allocations
(MemoryError) instead of taking the machine down, and the parent kills it at the deadline whatever
it is doing. OCR uses the same worker (any picklable module-level function).

Why a plain subprocess speaking pickles over pipes, not multiprocessing: the caller may itself be a
daemonic process (a Dask worker), which multiprocessing forbids to have children; and a fork of a
threaded parent (Prefect, httpx) can deadlock.

Cost: a worker is started once and reused for every document of the process; it is restarted only
after it was killed or died. `make bench-isolation` prints the overhead against in-process extraction.

Parallelism: a process keeps a pool of such workers (`shared_pool`, one per core by default,
MINUTES_EXTRACT_WORKERS), each lent to one thread at a time. Threads only wait on pipes, so a run
uses every core from its own process, with no second Prefect or Python start-up per core.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pickle
import selectors
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extract.errors import TIMEOUT, TOO_LARGE, Quarantine

TIME_LIMIT_ENV = "MINUTES_EXTRACT_TIME_LIMIT"      # seconds per document (default 60)
MEMORY_LIMIT_ENV = "MINUTES_EXTRACT_MEMORY_MB"     # address-space cap of the worker, MiB (default 1024)
WORKERS_ENV = "MINUTES_EXTRACT_WORKERS"            # workers per process (default: the usable cores)
DEFAULT_TIME_LIMIT = 60.0
# Address space (what RLIMIT_AS caps), not resident memory. The worker peaks at ~70 MiB over the
# demo minutes (`make bench-isolation`); 1 GiB leaves a wide margin for long real minutes and still
# stops a 1.6 MB compressed stream that inflates past a gigabyte (docs/SAFETY.md).
DEFAULT_MEMORY_MB = 1024
# OCR needs more for a while: the inference engine on one page image reaches ~1.9 GiB of address
# space (~1 GiB resident), bounded by the page image's fixed resolution, not by the document. After
# `use_extra_memory()` the worker may use this much above its cap; the worker is replaced after that call,
# since the engine keeps its address space (`use_extra_memory`).
EXTRA_MEMORY_MB = 2048
# The child enforces the limit itself first (a SIGALRM inside pdfminer); the parent's kill is the
# backstop for what the child cannot interrupt, this much later.
KILL_GRACE = 1.5
START_TIMEOUT = 60.0  # the worker's imports (pdfplumber) on a busy machine
PARENT_CHECK_S = 0.5  # how often a worker checks that its parent is still there

_HEADER = struct.Struct("!Q")


class ExtractionTimeout(Quarantine):
    """The call outran its wall-clock limit; the worker was killed."""

    def __init__(self, limit: float) -> None:
        super().__init__(TIMEOUT, f"extraction exceeded the {limit:g} s limit and was stopped")


class ExtractionTooLarge(Quarantine):
    """The call needed more memory than the worker may have."""

    def __init__(self, limit_mb: int, detail: str = "") -> None:
        super().__init__(TOO_LARGE, f"extraction needed more than the {limit_mb} MiB memory limit{detail}")


class WorkerDied(RuntimeError):
    """The worker ended without an answer (a crash in C code, killed from outside)."""


@dataclass(frozen=True)
class Limits:
    seconds: float = DEFAULT_TIME_LIMIT
    memory_mb: int = DEFAULT_MEMORY_MB

    @classmethod
    def from_env(cls) -> Limits:
        """The limits the environment sets; ValueError (one line, naming the variable) for a bad one."""
        return cls(seconds=_setting(TIME_LIMIT_ENV, float, DEFAULT_TIME_LIMIT, TIME_LIMIT_RANGE),
                   memory_mb=_setting(MEMORY_LIMIT_ENV, int, DEFAULT_MEMORY_MB, MEMORY_MB_RANGE))


# What a worker can live with: below 256 MiB Python and pdfplumber cannot even be imported; a limit
# under a second stops every document; more workers than this is a typo, not a machine.
TIME_LIMIT_RANGE = (1, 86_400)
MEMORY_MB_RANGE = (256, 1_048_576)
WORKERS_RANGE = (1, 512)


def _setting(name: str, kind: type[int] | type[float], default: float, bounds: tuple[int, int]) -> Any:
    text = (os.environ.get(name) or "").strip()
    if not text:
        return kind(default)
    try:
        value = kind(text) if text.isascii() else None
    except ValueError:
        value = None
    low, high = bounds
    if value is None or not low <= value <= high:  # also NaN, which compares false
        what = "a whole number" if kind is int else "a number"
        raise ValueError(f"{name} must be {what} from {low:,} to {high:,}, not {text!r}")
    return value


class IsolatedWorker:
    """One child process, reused across calls; thread-safe (one call at a time)."""

    def __init__(self, limits: Limits | None = None, preload: tuple[str, ...] = ()) -> None:
        self.limits = limits or Limits.from_env()
        # Modules the worker imports before its first call: their import time is not the document's.
        self.preload = preload
        self._process: subprocess.Popen[bytes] | None = None
        self._recycle = False
        self._lock = threading.Lock()
        self.starts = 0

    @property
    def restarts(self) -> int:
        """Workers started after the first: each one followed a kill or a crash."""
        return max(0, self.starts - 1)

    def call(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """`function(*args, **kwargs)` in the worker, killed at `limits.seconds` (+ KILL_GRACE).

        Raises ExtractionTimeout, ExtractionTooLarge, WorkerDied, or whatever the function raised.
        A function that can stop itself should be handed the same limit (`time_limit=…`): its own
        clean stop is quicker than a kill and keeps the worker for the next call.
        """
        limit = self.limits.seconds
        request = pickle.dumps((function, args, kwargs), protocol=pickle.HIGHEST_PROTOCOL)
        with self._lock:
            process = self._running()
            try:
                assert process.stdin is not None
                process.stdin.write(_HEADER.pack(len(request)) + request)
                process.stdin.flush()
            except (BrokenPipeError, OSError):
                self._kill()
                raise WorkerDied("the extraction worker was gone before the call") from None
            extended = [0.0]
            self._recycle = False
            answer = self._answer(process, time.monotonic() + limit + KILL_GRACE, extended)
            if answer is None:
                self._kill()
                raise ExtractionTimeout(limit + extended[0])
            if answer is _EOF:
                code = self._kill()
                raise WorkerDied(f"the extraction worker died ({_exit_name(code)})")
        kind, value = answer
        if self._recycle:  # the call used `use_extra_memory()`: the next one starts in a fresh worker
            with self._lock:
                self._kill()
        if kind == "ok":
            return value
        if kind == "memory":
            self._kill()  # a MemoryError may leave the worker's heap fragmented: start afresh
            raise ExtractionTooLarge(self.limits.memory_mb)
        raise value

    def close(self) -> None:
        with self._lock:
            self._kill()

    def abort(self) -> None:
        """Kill the child now, also in the middle of another thread's call (which then raises
        WorkerDied at once instead of waiting for its deadline): what an interrupted run does."""
        process = self._process
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)

    def _running(self) -> subprocess.Popen[bytes]:
        if self._process is not None and self._process.poll() is None:
            return self._process
        root = str(Path(__file__).resolve().parents[1])
        path = os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))
        env = {**os.environ, "PYTHONPATH": path}
        self._process = subprocess.Popen(
            [sys.executable, "-m", "extract.isolation", str(self.limits.memory_mb), *self.preload],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, cwd=root,
            start_new_session=True,  # a Ctrl-C reaches the parent, which kills it
        )
        self.starts += 1
        _live_workers.add(self)
        ready = self._answer(self._process, time.monotonic() + START_TIMEOUT)
        if ready is None or ready is _EOF:
            code = self._kill()
            raise WorkerDied(f"the extraction worker did not start ({_exit_name(code)})")
        return self._process

    def _answer(self, process: subprocess.Popen[bytes], deadline: float,
                extended: list[float] | None = None) -> Any:
        """The child's answer, None at the deadline, _EOF when it ended without one. An
        ("extend", seconds) message on the way moves the deadline (and adds to `extended[0]`)."""
        assert process.stdout is not None
        fd = process.stdout.fileno()
        buffer = bytearray()
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not selector.select(left):
                    return None
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    return _EOF
                buffer += chunk
                while len(buffer) >= _HEADER.size:
                    (wanted,) = _HEADER.unpack_from(buffer)
                    if len(buffer) < _HEADER.size + wanted:
                        break
                    message = pickle.loads(bytes(buffer[_HEADER.size:_HEADER.size + wanted]))
                    del buffer[:_HEADER.size + wanted]
                    if isinstance(message, tuple) and message[:1] == (_RECYCLE,):
                        self._recycle = True
                        continue
                    if not (isinstance(message, tuple) and message[:1] == (_EXTEND,)):
                        return message
                    deadline += message[1]
                    if extended is not None:
                        extended[0] += message[1]

    def _kill(self) -> int | None:
        process, self._process = self._process, None
        if process is None:
            return None
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        code = process.wait(timeout=10)
        for pipe in (process.stdin, process.stdout):
            if pipe is not None:
                pipe.close()
        self._process = None
        return code


class WorkerPool:
    """Up to `size` workers, each lent to one caller at a time; a worker starts only when every
    started one is busy, so one document at a time costs one worker."""

    def __init__(self, size: int, limits: Limits | None = None, preload: tuple[str, ...] = ()) -> None:
        self.size = max(1, size)
        self.limits = limits or Limits.from_env()
        self.preload = preload
        self._workers: list[IsolatedWorker] = []
        self._idle: list[IsolatedWorker] = []
        self._returned = threading.Condition()

    @contextlib.contextmanager
    def worker(self) -> Iterator[IsolatedWorker]:
        """An idle worker, or a new one while fewer than `size` exist, else the next one handed back.
        The wait is bounded: every holder's call ends at its own deadline and hands its worker back."""
        with self._returned:
            while not self._idle and len(self._workers) >= self.size:
                self._returned.wait()
            if self._idle:
                worker = self._idle.pop()  # the most recently used: warm, and the others may idle
            else:
                worker = IsolatedWorker(self.limits, self.preload)
                self._workers.append(worker)
        try:
            yield worker
        finally:
            with self._returned:
                self._idle.append(worker)
                self._returned.notify()

    @property
    def starts(self) -> int:
        """Worker processes started so far (the first of each worker, and every restart)."""
        return sum(worker.starts for worker in self._workers)

    def close(self) -> None:
        for worker in self._workers:
            worker.close()

    def abort(self) -> None:
        """Kill every worker now, busy or not (IsolatedWorker.abort); the next call starts afresh."""
        for worker in self._workers:
            worker.abort()


def workers_per_process() -> int:
    """MINUTES_EXTRACT_WORKERS, else the cores this process may use."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return _setting(WORKERS_ENV, int, cores, WORKERS_RANGE)


def check_settings() -> None:
    """Read every extraction setting once: a bad value fails here, before a run starts."""
    Limits.from_env()
    workers_per_process()


_EOF = object()
_live_workers: set[IsolatedWorker] = set()
_shared: WorkerPool | None = None
_shared_lock = threading.Lock()


def shared_pool(preload: tuple[str, ...] = ()) -> WorkerPool:
    """This process's workers (limits and size from the environment), each started on first need."""
    global _shared
    with _shared_lock:
        limits, size = Limits.from_env(), workers_per_process()
        if _shared is None or (_shared.limits, _shared.size, _shared.preload) != (limits, size, preload):
            if _shared is not None:
                _shared.close()  # a changed environment (tests): no worker of the old settings stays
            _shared = WorkerPool(size, limits, preload)
        return _shared


def abort_shared_pool() -> None:
    """Stop every document this process's workers are reading (an interrupted run): each waiting
    caller gets its answer at once instead of at the document's deadline."""
    with _shared_lock:
        pool = _shared
    if pool is not None:
        pool.abort()


@atexit.register
def _stop_workers() -> None:
    for worker in list(_live_workers):
        worker.close()


def peak_memory() -> tuple[int, int]:
    """(peak resident KiB, peak address space KiB) of the calling process: call it in a worker
    (`worker.call(peak_memory)`) to see how close documents come to the memory cap. From /proc, not
    getrusage: ru_maxrss survives exec, so a worker would report its parent's peak."""
    lines = Path("/proc/self/status").read_text().splitlines()
    fields = dict(line.split(":", 1) for line in lines if ":" in line)
    return int(fields["VmHWM"].split()[0]), int(fields["VmPeak"].split()[0])


def _exit_name(code: int | None) -> str:
    if code is not None and code < 0:
        return f"signal {signal.Signals(-code).name}"
    return f"exit status {code}"


# --- the child ------------------------------------------------------------------------------------

_EXTEND, _RECYCLE = "extend", "recycle"
_answers: Any = None  # the pipe to the parent, in a worker; None in any other process


def _tell_parent(message: tuple[Any, ...]) -> None:
    payload = pickle.dumps(message)
    _answers.write(_HEADER.pack(len(payload)) + payload)
    _answers.flush()


def extend_deadline(seconds: float) -> None:
    """Give the call running in this worker `seconds` more before the parent kills it: work whose
    size shows only once it runs (OCR, a budget per page that is only an image) asks as it goes.
    A no-op outside a worker."""
    if _answers is not None:
        _tell_parent((_EXTEND, float(seconds)))


def use_extra_memory() -> None:
    """Let the call running in this worker use EXTRA_MEMORY_MB above its cap (its hard limit), for
    work whose need is bounded by something else than the document (OCR: one page image at a fixed
    resolution). For the rest of the call: the engine keeps what it took, so the cap cannot come
    back under it; the parent replaces the worker after the call. A no-op outside a worker."""
    if _answers is None:
        return
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    _tell_parent((_RECYCLE,))
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))



def _exit_with_parent() -> None:
    """End this worker as soon as its parent is gone (kill -9, the OOM killer, a CI timeout): nobody
    would stop a document stuck in pdfminer any more. Not PR_SET_PDEATHSIG: that fires when the
    parent *thread* that started the worker ends, and threads of a run come and go."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_S)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _serve(memory_mb: int, preload: list[str]) -> None:
    """Read (function, args, kwargs) requests from stdin, write ("ok"|"error"|"memory", value) answers.

    The protocol owns the original stdout; anything a library prints goes to stderr instead.
    """
    import resource

    cap = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap + EXTRA_MEMORY_MB * 1024 * 1024))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash leaves no core file behind
    global _answers
    requests = os.fdopen(os.dup(0), "rb")
    answers = _answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    import importlib

    _exit_with_parent()
    for module in preload:
        importlib.import_module(module)
    ready = pickle.dumps(("ready", os.getpid()))
    answers.write(_HEADER.pack(len(ready)) + ready)
    answers.flush()
    while True:
        header = requests.read(_HEADER.size)
        if len(header) < _HEADER.size:
            return  # the parent closed the pipe: done
        (size,) = _HEADER.unpack(header)
        request = requests.read(size)
        try:
            function, args, kwargs = pickle.loads(request)
            answer: tuple[str, Any] = ("ok", function(*args, **kwargs))
        except MemoryError:
            answer = ("memory", None)
        except Exception as error:  # the caller re-raises it
            answer = ("error", error)
        try:
            payload = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as unpicklable:
            payload = pickle.dumps(("error", RuntimeError(f"{type(unpicklable).__name__}: {unpicklable}")))
        answers.write(_HEADER.pack(len(payload)) + payload)
        answers.flush()


if __name__ == "__main__":
    # Served by the importable module, not this `__main__` copy of it: the code the worker runs calls
    # `extract.isolation.extend_deadline`, which must see the pipe `_serve` opened.
    from extract.isolation import _serve as serve

    serve(int(sys.argv[1]), sys.argv[2:])
