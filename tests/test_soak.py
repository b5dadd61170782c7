"""Soak (`make test-slow`, marker `soak`; `make test` leaves it out): a 20× Reuters run killed with SIGKILL at
10 random points, resumed each time, must end byte-identical to an uninterrupted run."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.runner import errors_path_for
from tests.conftest import REPO, REUTERS, need_shared

TRADEX = [sys.executable, "-m", "pipeline.cli"]
COPIES = int(os.environ.get("TRADEX_SOAK_COPIES", "20"))
KILLS = int(os.environ.get("TRADEX_SOAK_KILLS", "10"))


@pytest.mark.soak
@pytest.mark.shared
def test_killed_at_random_points_and_resumed_gives_identical_bytes(tmp_path):
    need_shared(REUTERS)
    lines = REUTERS.read_bytes().splitlines()
    big = tmp_path / "reuters-x.jsonl"
    with big.open("wb") as fh:
        for _ in range(COPIES):
            fh.write(b"\n".join(lines) + b"\n")
    args = [str(big), "--model", "none", "--partition-size", "50", "-q"]
    full = tmp_path / "full" / "records.jsonl"
    assert subprocess.run([*TRADEX, "extract", *args, "-o", str(full)], cwd=REPO).returncode == 0
    n_parts = -(-len(lines) * COPIES // 50)
    out = tmp_path / "part" / "records.jsonl"
    parts = out.parent / ".records.jsonl.parts"
    rng = random.Random(19)
    # kill points: a number of finished partitions to wait for, increasing, spread over the run
    points = sorted(rng.sample(range(1, n_parts), min(KILLS, n_parts - 1)))
    for i, point in enumerate(points):
        cmd = [*TRADEX, "extract", *args, "-o", str(out), *(["--resume"] if i else []), "--workers", str(1 + i % 2)]
        proc = subprocess.Popen(cmd, cwd=REPO)
        while proc.poll() is None and len(list(parts.glob("*.done"))) < point:
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL if i % 2 == 0 else signal.SIGTERM)
        proc.wait()
    res = subprocess.run([*TRADEX, "extract", *args, "-o", str(out), "--resume"], cwd=REPO)
    assert res.returncode == 0
    assert out.read_bytes() == full.read_bytes()
    assert errors_path_for(out).read_bytes() == errors_path_for(full).read_bytes()
    assert not list(Path(out.parent).glob("*.tmp*"))
