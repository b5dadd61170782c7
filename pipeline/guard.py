"""Guards on the output of a run, checked before any work: the output must be a regular file or a new path
in a folder we can write, never a device, a folder or one of the inputs; and only one run may write it at a
time (an OS lock on a file beside it).
"""

from __future__ import annotations

import fcntl
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.errors import ErrorCode, TradexError


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def file_kind(path: str | Path) -> str | None:
    """None for a regular file (links followed); else what it is ("a FIFO", "a dead symbolic link", ...)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return "a dead symbolic link" if os.path.islink(path) else "missing"
    except OSError as e:
        return f"unreadable ({e.strerror or e})"
    return None if stat.S_ISREG(st.st_mode) else _kind(st.st_mode)


def check_output_path(path: Path, what: str = "output") -> None:
    """`path` must be a regular file or a new path, in a folder where a file can be created."""
    if os.path.lexists(path):
        kind = file_kind(path)
        if kind is not None and kind != "a dead symbolic link":
            raise TradexError(ErrorCode.BAD_OUTPUT, f"the {what} {path} is {kind}; give a file path (-o)")
    parent = path.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        # a probe file: as root, os.access says yes to read-only filesystems and to most else
        fd, probe = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".probe", dir=parent)
        os.close(fd)
        os.unlink(probe)
    except OSError as e:
        raise TradexError(
            ErrorCode.BAD_OUTPUT, f"cannot write the {what} {path}: {e.strerror or e} ({parent})"
        ) from None


def _identity(path: str | Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)  # links followed: a link to an input is that input
    except OSError:
        return None
    return st.st_dev, st.st_ino


def check_not_inputs(outputs: Iterable[Path], input_paths: Iterable[str]) -> None:
    """No output may be one of the inputs (same file by device and inode, after resolving links)."""
    written = {ident: out for out in outputs if (ident := _identity(out)) is not None}
    if not written:
        return
    for raw in input_paths:
        if raw == "-":
            continue
        ident = _identity(raw)
        if ident is not None and ident in written:
            raise TradexError(
                ErrorCode.BAD_OUTPUT,
                f"the output {written[ident]} is the input {raw}: writing it would destroy the input; "
                "choose another -o",
            )


def check_outputs(outputs: Iterable[Path], inputs: Iterable[str]) -> None:
    """Every check of this module on `outputs` (output file, errors file, ...) against `inputs` (expanded)."""
    from pipeline.ingest import expand_inputs

    outputs = list(outputs)
    for i, out in enumerate(outputs):
        check_output_path(out, "output" if i == 0 else "output file")
    check_not_inputs(outputs, expand_inputs(list(inputs)))


def lock_path_for(output: Path) -> Path:
    """`out/records.jsonl` -> `out/.records.jsonl.lock`; a folder output locks `out/.tradex.lock`."""
    if output.is_dir():
        return output / ".tradex.lock"
    return output.with_name(f".{output.name}.lock")


@contextmanager
def output_lock(output: Path) -> Iterator[Path]:
    """Hold an exclusive OS lock beside `output` for the duration; a second writer gets TX302 at once.

    The lock file stays behind (removing it would let a third run lock a fresh file while the second still
    holds the old one); the OS releases the lock itself when the process ends, also on `kill -9`.
    """
    lock = lock_path_for(Path(output))
    lock.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise TradexError(ErrorCode.BAD_OUTPUT, f"cannot create the lock file {lock}: {e.strerror or e}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            raise TradexError(
                ErrorCode.OUTPUT_LOCKED,
                f"{output} is being written by another tradex run (pid {holder}, lock {lock}); "
                "wait for it to finish or choose another -o",
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield lock
    finally:
        os.close(fd)  # releases the lock
