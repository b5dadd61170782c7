"""The Dask backend writes byte-identical output to the local backend, resumes, and survives worker failures."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.runner import errors_path_for, run_extract
from pipeline.settings import Settings

distributed = pytest.importorskip("distributed")

from pipeline.distributed import run_extract_dask  # noqa: E402

pytestmark = pytest.mark.slow  # starts Dask clusters: several seconds

REPO = Path(__file__).resolve().parents[1]
PART_SIZE = 4  # small partitions, so 2 workers share many of them

_SUBJECTS = ["Beijing", "Washington", "The Commerce Department", "Nvidia", "Brussels", "Tokyo"]
_VERBS = ["said", "warned", "told reporters", "announced"]
_OBJECTS = ["export controls on gallium", "tariffs on steel", "a review of chip sales", "new rare earth licences"]


def _invented_corpus(folder: Path) -> list[str]:
    """A fallback corpus of invented sentences, with broken lines, when corpus/synthetic is absent."""
    folder.mkdir()
    lines = []
    for i in range(30):
        s, v, o = _SUBJECTS[i % 6], _VERBS[i % 4], _OBJECTS[i % 4]
        text = f'{s} {v} on Monday it would tighten {o}. "We will act," one said.\n\nTalks resume in {i + 2} days.'
        lines.append(json.dumps({"id": f"inv-{i:03d}", "text": text}))
    lines[7] = "{not json"
    lines[19] = json.dumps({"id": "inv-empty", "text": "   "})
    (folder / "articles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [str(folder)]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The bundled corpus (good and broken inputs), or an invented one when it is not there yet."""
    synthetic, broken = REPO / "corpus" / "synthetic", REPO / "corpus" / "broken"
    if (synthetic / "articles.jsonl").exists():
        return [str(synthetic)] + ([str(broken)] if broken.is_dir() else [])
    return _invented_corpus(tmp_path_factory.mktemp("corpus") / "invented")


@pytest.fixture(scope="module")
def reference(corpus: list[str], tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes, int]:
    """Records, errors and input count of the local backend, rules only."""
    out = tmp_path_factory.mktemp("local") / "records.jsonl"
    summary = run_extract(corpus, out, settings=Settings.model_validate({"model": "none", "partition_size": PART_SIZE}))
    assert summary.records > 0 and summary.errors > 0  # the comparison must cover both files
    return out.read_bytes(), errors_path_for(out).read_bytes(), summary.inputs


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """One 2-worker LocalCluster shared by the API tests (the CLI test starts its own)."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def _dask_settings(scheduler: str) -> Settings:
    return Settings.model_validate(
        {"model": "none", "partition_size": PART_SIZE, "backend": "dask", "scheduler": scheduler}
    )


def test_cli_dask_backend_is_byte_identical_to_local(
    corpus: list[str], reference: tuple[bytes, bytes, int], tmp_path: Path
) -> None:
    out = tmp_path / "records.jsonl"
    cmd = [sys.executable, "-m", "pipeline.cli", "extract", *corpus, "-o", str(out), "--model", "none",
           "--backend", "dask", "--workers", "2", "--partition-size", str(PART_SIZE), "--json-log"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr  # 1: the broken inputs went to the errors file
    events = [json.loads(line) for line in proc.stderr.splitlines() if line.startswith('{"event"')]
    summary = events[-1]
    assert summary["event"] == "summary" and summary["inputs"] == reference[2]
    assert summary["partitions"] == len([e for e in events if e["event"] == "partition"])
    assert out.read_bytes() == reference[0]
    assert errors_path_for(out).read_bytes() == reference[1]
    assert not (tmp_path / ".records.jsonl.parts").exists()


class _Interrupt(Exception):
    pass


def test_resume_after_interrupted_dask_run(
    corpus: list[str], reference: tuple[bytes, bytes, int], scheduler: str, tmp_path: Path
) -> None:
    out = tmp_path / "records.jsonl"
    settings = _dask_settings(scheduler)

    def stop_after_two(done: int, words: int, parts: int) -> None:
        if parts == 2:
            raise _Interrupt

    with pytest.raises(_Interrupt):
        run_extract_dask(corpus, out, settings=settings, on_progress=stop_after_two)
    part_dir = tmp_path / ".records.jsonl.parts"
    finished = sorted(p.name for p in part_dir.glob("*.done"))
    assert len(finished) >= 2 and not out.exists()
    # a partition cut off mid-write (file but no marker) must be redone, not joined. Which partitions finished
    # first depends on the scheduler, so tear the first one without a marker (tearing a fixed index could
    # remove one of the two finished ones and make the test flaky).
    done = {int(name[len("part-") : len("part-") + 6]) for name in finished}
    torn = next(i for i in range(len(done) + 1) if i not in done)
    (part_dir / f"part-{torn:06d}.jsonl").write_text("torn\n", encoding="utf-8")

    summary = run_extract_dask(corpus, out, settings=settings, resume=True)
    assert summary.resumed_partitions >= 2
    assert summary.resumed_partitions < summary.partitions
    assert summary.inputs == reference[2]
    assert out.read_bytes() == reference[0]
    assert errors_path_for(out).read_bytes() == reference[1]


@pytest.mark.parametrize("failure", ["exception", "worker_dies"])
def test_failed_partition_is_retried_without_loss_or_duplicates(
    failure: str, corpus: list[str], reference: tuple[bytes, bytes, int], scheduler: str, tmp_path: Path
) -> None:
    flag = tmp_path / "failed-once"

    def arm() -> None:
        # runs inside each worker: partition 1 fails once (on whichever worker gets it) after a torn write
        import os

        import pipeline.distributed as backend

        real = backend.run_partition

        def flaky(proc, part_dir, index, items, fp):  # type: ignore[no-untyped-def]
            if index == 1 and not flag.exists():
                flag.write_text(failure, encoding="utf-8")
                (part_dir / "part-000001.jsonl").write_text("torn\n", encoding="utf-8")
                if failure == "worker_dies":
                    os._exit(1)  # the nanny restarts the worker; the scheduler reschedules the task
                raise RuntimeError("injected failure")
            return real(proc, part_dir, index, items, fp)

        backend.run_partition = flaky  # type: ignore[assignment]

    with distributed.Client(scheduler) as client:
        client.run(arm)
    out = tmp_path / "records.jsonl"
    summary = run_extract_dask(corpus, out, settings=_dask_settings(scheduler))
    assert flag.read_text(encoding="utf-8") == failure  # the failure did happen
    assert summary.inputs == reference[2]
    assert out.read_bytes() == reference[0]
    assert errors_path_for(out).read_bytes() == reference[1]
