"""Built pipelines cached on disk, so a short run does not pay for building the rulers again.

Building the rules-only pipeline tokenizes every pack alias into ten thousand phrase patterns; unpickling a
pipeline built before is several times faster, which is most of `tradex extract`'s start-up on one article.
A cached pipeline is keyed by everything the build reads: tradex's code and version, spaCy's and Python's
versions, the model package and its version, the bytes of every rules file (built-in and `--rules`), and
the settings that shape the build. Any change gives a new key, so a stale pipeline is never used; a file
that cannot be read back is rebuilt. The cache folder is `$TRADEX_CACHE_DIR`, else the user cache folder
(`~/.cache/tradex` on Linux); `cache_pipeline = false` in the settings turns the cache off.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import pickle
import sys
import tempfile
from pathlib import Path

import spacy
from spacy.language import Language

from pipeline.nlp import build_nlp, package_version
from pipeline.rules.packs import builtin_rules_dir
from pipeline.settings import Settings

CACHE_ENV = "TRADEX_CACHE_DIR"
# the settings `build_nlp` reads; the others (workers, inputs, corpus stages) do not change the pipeline
BUILD_FIELDS = {"model", "rules_dirs", "max_chars", "entities", "quotes", "measures"}
_PACKAGE_ROOT = Path(__file__).resolve().parent.parent  # holds pipeline/ and models/
KEEP_FILES = 4  # older pipelines in the folder are removed beyond this many


def cache_dir() -> Path:
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]) / "pipelines"
    if sys.platform.startswith("linux"):  # the XDG folder, without importing platformdirs at every start-up
        return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tradex" / "pipelines"
    import platformdirs

    return Path(platformdirs.user_cache_dir("tradex")) / "pipelines"


def _hash_tree(digest: hashlib._Hash, root: Path, suffixes: tuple[str, ...]) -> None:
    if not root.is_dir():
        digest.update(f"missing:{root}".encode())
        return
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.name.endswith(suffixes)):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")


def _model_version(name: str | None) -> str:
    if name is None:
        return "none"
    path = Path(name)
    if path.exists():  # a pipeline folder: its meta says what it is, its files' times when it changed
        stamps = sorted((str(p), p.stat().st_mtime_ns) for p in path.rglob("*") if p.is_file())
        return hashlib.sha256(repr(stamps).encode()).hexdigest()
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def cache_key(settings: Settings) -> str:
    """The key of the pipeline `build_nlp(settings)` makes (hex)."""
    digest = hashlib.sha256()
    digest.update(f"{sys.version}|spacy {spacy.__version__}|{package_version()}".encode())
    digest.update(settings.model_dump_json(include=BUILD_FIELDS).encode())
    digest.update(_model_version(settings.model_name).encode())
    # the code: a pickle names classes and functions, and what they do is in these files
    for package in ("pipeline", "models"):
        _hash_tree(digest, _PACKAGE_ROOT / package, (".py",))
    for rules in (builtin_rules_dir(), *settings.rules_dirs):
        _hash_tree(digest, Path(rules), (".jsonl", ".json", ".JSONL", ".JSON"))
    return digest.hexdigest()[:24]


def load_nlp(settings: Settings) -> Language:
    """The pipeline for `settings`: unpickled from the cache when it was built before, else built (and
    stored when `settings.cache_pipeline`). Bad rule packs raise as `build_nlp` does: nothing is cached."""
    if not settings.cache_pipeline:
        return build_nlp(settings)
    folder = cache_dir()
    path = folder / f"{cache_key(settings)}.pkl"
    if path.is_file():
        try:
            with path.open("rb") as fh:
                nlp = pickle.load(fh)
            if isinstance(nlp, Language):
                return nlp
        except Exception:  # a truncated or foreign file: rebuild it
            pass
    nlp = build_nlp(settings)
    _store(folder, path, nlp)
    return nlp


def _store(folder: Path, path: Path, nlp: Language) -> None:
    """Write atomically (a concurrent reader sees the old file or the whole new one). A folder that cannot be
    written, or a pipeline that cannot be pickled (a user's component holding a lambda), costs the next run
    its start-up, nothing else."""
    tmp: str | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".pkl")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(nlp, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        tmp = None
        old = sorted((p for p in folder.glob("*.pkl") if p != path), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in old[KEEP_FILES - 1 :]:
            stale.unlink(missing_ok=True)
    except Exception:  # the cache is an optimisation: the run goes on with the built pipeline
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
