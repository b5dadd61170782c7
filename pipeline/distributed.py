"""Dask backend for `tradex extract`: the same partitions, partition files, resume markers and final
join as the local backend (`pipeline.runner`), with each partition run as one Dask task.

The client reads the inputs and sends each partition's items to a worker; the worker builds the spaCy
pipeline once per process, writes the partition's files atomically into the output folder (which must
be on a filesystem shared by the client and every worker) and returns only counts. A task that fails is
retried (`retries=2`); a task whose worker dies is rescheduled by the scheduler. Both are safe because
a partition write is atomic and idempotent: a rerun rewrites the same bytes under the same names.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

from pipeline.errors import ErrorCode, TradexError
from pipeline.guard import check_outputs, output_lock
from pipeline.ingest import Item
from pipeline.runner import (
    PendingPartitions,
    Processor,
    ProgressFn,
    RunSummary,
    errors_path_for,
    finish_run,
    part_names,
    prepare_output,
    run_partition,
    write_errors_coded,
)
from pipeline.settings import Settings

# Per-worker-process cache of the built pipeline, keyed by the settings JSON: loading spaCy costs seconds,
# a partition a fraction of that. It lives in the worker process only (the client never fills it) and holds
# one pipeline at most, so a long-lived worker serving runs with other settings does not grow.
_PROCESSORS: dict[str, Processor] = {}

# Counts a partition task returns: (index, records, errors, words).
PartCounts = tuple[int, int, int, int]


def _processor(settings_json: str) -> Processor:
    proc = _PROCESSORS.get(settings_json)
    if proc is None:
        _PROCESSORS.clear()
        proc = Processor(Settings.model_validate_json(settings_json))
        proc.ensure()
        _PROCESSORS[settings_json] = proc
    return proc


def dask_partition(*, part_dir: str, index: int, items: list[Item], fingerprint: str, settings_json: str) -> PartCounts:
    """Worker side: run one partition and write its files into `part_dir`; return its counts."""
    try:
        return run_partition(_processor(settings_json), Path(part_dir), index, items, fingerprint)
    except TradexError as e:
        # TradexError takes two constructor arguments and does not unpickle on the client; send its text
        raise RuntimeError(str(e)) from None


def _client(settings: Settings) -> tuple[Any, Any]:
    """A client for `settings.scheduler`, or for a new LocalCluster of `settings.workers` processes."""
    from distributed import Client, LocalCluster

    if settings.scheduler:
        try:
            return Client(settings.scheduler, timeout="30s"), None
        except OSError as e:
            raise TradexError(ErrorCode.BAD_CONFIG, f"cannot reach the Dask scheduler {settings.scheduler}: {e}") from e
    # one thread per process: spaCy holds the GIL, so threads would not add throughput
    cluster = LocalCluster(
        n_workers=settings.workers, threads_per_worker=1, processes=True, dashboard_address=None
    )
    return Client(cluster), cluster


def _worker_settings(settings: Settings) -> Settings:
    """Settings as the workers must see them: rule folders absolute, since a worker's cwd may differ.

    Output does not change: rule provenance names the pack file, never its folder.
    """
    return settings.model_copy(update={"rules_dirs": [Path(p).resolve() for p in settings.rules_dirs]})


def run_extract_dask(
    inputs: list[str],
    output: Path,
    *,
    settings: Settings,
    resume: bool = False,
    errors_output: Path | None = None,
    on_progress: ProgressFn | None = None,
) -> RunSummary:
    """`run_extract` on a Dask cluster: byte-identical output, the same resume markers, guards and summary."""
    output = Path(output)
    errors_output = errors_output or errors_path_for(output)
    check_outputs([output, errors_output], inputs)
    with output_lock(output), write_errors_coded(output):
        return _run_extract_dask_locked(inputs, output, settings, resume, errors_output, on_progress)


def _run_extract_dask_locked(
    inputs: list[str],
    output: Path,
    settings: Settings,
    resume: bool,
    errors_output: Path,
    on_progress: ProgressFn | None,
) -> RunSummary:
    from distributed import wait

    # absolute, because the workers' working folders may differ from ours
    output, errors_output, part_dir = prepare_output(output, errors_output, resume=resume, absolute=True)
    t0 = time.perf_counter()
    summary = RunSummary(output=str(output), errors_file=str(errors_output))

    def account(n_rec: int, n_err: int, words: int) -> None:
        summary.account(n_rec, n_err, words, on_progress)

    settings_json = _worker_settings(settings).model_dump_json()
    run_id = uuid.uuid4().hex[:12]  # explicit task keys: no hashing of the items, no reuse across runs
    todo = PendingPartitions(
        inputs, settings=settings, part_dir=part_dir, resume=resume, summary=summary, on_progress=on_progress
    )
    client, cluster = _client(settings)
    try:
        # look ahead two partitions per worker thread: enough to keep all busy, memory stays flat
        threads = sum(client.nthreads().values()) or settings.workers
        lookahead = 2 * max(threads, 1)
        pending: set[Any] = set()
        index_of: dict[Any, int] = {}

        def collect(futures: set[Any]) -> None:
            for f in futures:
                try:
                    _, r, e, w = f.result()
                except Exception as exc:
                    # a worker's TradexError arrives as text; keep its code (TX300: model missing on a worker)
                    bad_config = str(exc).startswith(ErrorCode.BAD_CONFIG.value)
                    raise TradexError(
                        ErrorCode.BAD_CONFIG if bad_config else ErrorCode.PROCESSING_FAILED,
                        f"partition {index_of[f]} failed on the Dask cluster after retries: "
                        f"{type(exc).__name__}: {exc}",
                    ) from exc
                account(r, e, w)
                index_of.pop(f)

        for index, items, fp in todo:
            fut = client.submit(
                dask_partition,
                part_dir=str(part_dir),
                index=index,
                items=items,
                fingerprint=fp,
                settings_json=settings_json,
                key=f"tradex-part-{run_id}-{index:06d}",
                retries=2,
                pure=False,
            )
            pending.add(fut)
            index_of[fut] = index
            while len(pending) >= lookahead:
                finished, not_done = wait(list(pending), return_when="FIRST_COMPLETED")
                pending = set(not_done)
                collect(set(finished))
        if pending:
            wait(list(pending))
            collect(pending)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    _check_parts(part_dir, todo.count)
    return finish_run(
        summary, part_dir=part_dir, n_parts=todo.count, output=output, errors_output=errors_output, t0=t0
    )


def _check_parts(part_dir: Path, n_parts: int) -> None:
    """Every partition file must be visible here; a remote worker writing to its own disk is a setup error."""
    for index in range(n_parts):
        for path in part_names(part_dir, index)[:2]:
            if not path.exists():
                raise TradexError(
                    ErrorCode.BAD_CONFIG,
                    f"{path} is missing after its task finished: the output folder must be on a filesystem "
                    "shared by this machine and every Dask worker",
                )
