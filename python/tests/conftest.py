"""Shared fixtures: the repository, the `dyad` command to compare with, its output."""

import functools
import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
VOA = REPO.parent / "shared" / "corpora" / "voa" / "voa_stories.jsonl"
PETRARCH = REPO.parent / "shared" / "peer" / "petrarch2" / "dictionaries"


def cli_path() -> Path:
    """The `dyad` binary: $DYAD_CLI, else the newer of the release and debug builds."""
    if os.environ.get("DYAD_CLI"):
        return Path(os.environ["DYAD_CLI"])
    built = [p for p in (REPO / "target" / d / "dyad" for d in ("release", "debug"))
             if p.exists()]
    if not built:
        pytest.skip("no dyad binary: build it with `cargo build --release -p dyad`")
    return max(built, key=lambda p: p.stat().st_mtime)


def run_cli(*args: str) -> str:
    """`dyad ARGS`, its stdout; a failure fails the test."""
    out = subprocess.run([str(cli_path()), *args], capture_output=True, text=True,
                         cwd=REPO, timeout=1800)
    assert out.returncode == 0, out.stderr
    return out.stdout


def normal(record: dict) -> str:
    """A record as canonical JSON text: the comparison is byte for byte on this."""
    return json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@functools.lru_cache(maxsize=None)
def _cli_records(args: tuple) -> tuple:
    out = run_cli(*args, "--quiet")
    return tuple(normal(json.loads(line)) for line in out.split("\n") if line.strip())


def cli_records(*args: str) -> list:
    """`dyad code|annotate ARGS --quiet`, each output line canonical (each command run
    once per session: the VOA stories take a while with a debug build)."""
    return list(_cli_records(args))


def jsonl(path: Path) -> list:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n")
            if line.strip()]


@pytest.fixture(scope="session")
def coder():
    import dyad

    return dyad.Coder()
