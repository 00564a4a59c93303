"""Type stubs of the extension module (crates/dyad-py); the public API is ``dyad``."""

from typing import List, Optional, Tuple

__version__: str

Outcome = Tuple[Optional[str], str, str, List[str]]

class Coder:
    """A loaded pipeline and the threads that run it."""

    load_seconds: float
    """Seconds spent building the pipeline (models, dictionaries)."""

    def __init__(self, dictionaries: Optional[str] = None, threads: Optional[int] = None) -> None: ...
    @property
    def threads(self) -> int:
        """Number of threads coding a batch."""
    def code_lines(
        self,
        lines: List[str],
        mode: str = "code",
        default_date: Optional[str] = None,
        name: str = "python",
    ) -> List[Outcome]:
        """Codes JSONL records in parallel with the GIL released; per record, in order,
        ``(id, status, payload, warnings)``: status ``"ok"`` with the output (the PLOVER
        records one a line as ``dyad code`` prints them, or the annotation as JSON), or
        ``"input"`` / ``"internal"`` with the reason."""
    def explain(self, text: str, date: Optional[str] = None) -> str:
        """How ``text`` is coded, sentence by sentence (``dyad explain``'s text)."""
