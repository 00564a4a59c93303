"""Shared fixtures: the repository, the `dyad` command to compare with, its output."""

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
    """The `dyad` binary: $DYAD_CLI, else the release build, else the debug build."""
    if os.environ.get("DYAD_CLI"):
        return Path(os.environ["DYAD_CLI"])
    for profile in ("release", "debug"):
        p = REPO / "target" / profile / "dyad"
        if p.exists():
            return p
    pytest.skip("no dyad binary: build it with `cargo build --release -p dyad`")


def run_cli(*args: str) -> str:
    """`dyad ARGS`, its stdout; a failure fails the test."""
    out = subprocess.run([str(cli_path()), *args], capture_output=True, text=True,
                         cwd=REPO, timeout=1800)
    assert out.returncode == 0, out.stderr
    return out.stdout


def normal(record: dict) -> str:
    """A record as canonical JSON text: the comparison is byte for byte on this."""
    return json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def cli_records(*args: str) -> list:
    """`dyad code|annotate ARGS --quiet`, each output line canonical."""
    out = run_cli(*args, "--quiet")
    return [normal(json.loads(line)) for line in out.splitlines() if line.strip()]


def jsonl(path: Path) -> list:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


@pytest.fixture(scope="session")
def coder():
    import dyad

    return dyad.Coder()
