"""dyad: political event data (PLOVER/CAMEO) from news text.

The coder of the ``dyad`` command line, in process::

    import dyad
    events = dyad.code(["Russia's foreign minister met his Chinese counterpart in Beijing."],
                       dates=["2026-11-20"])
    print(events[0]["event"], events[0]["actor"][0]["code"])

Texts are coded in parallel on all cores with the GIL released. Each function takes either
texts (strings) or records (dicts with the fields of ``dyad code``'s JSONL input: ``id``,
``text``, ``date`` or ``published``, ``title``, ``url``, ``source``, ``config``), and gives
what ``dyad code`` / ``dyad annotate`` print, record for record.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
import threading
import warnings
from typing import Any, Iterable, List, Optional, Sequence, Union

from . import _dyad

__version__: str = _dyad.__version__

__all__ = [
    "Coder",
    "DyadError",
    "RecordError",
    "InternalError",
    "code",
    "annotate",
    "explain",
    "code_frame",
]

Record = Union[str, "dict[str, Any]"]


class DyadError(Exception):
    """A record that could not be coded. ``id`` is its article id (``None`` when the
    record had none), ``index`` its position in the input."""

    def __init__(self, message: str, id: Optional[str] = None, index: Optional[int] = None):
        super().__init__(message)
        self.id = id
        self.index = index


class RecordError(DyadError, ValueError):
    """A record that could not be read: no text, a date that does not exist, ..."""


class InternalError(DyadError, RuntimeError):
    """A bug in one of the coder's stages, hit by this record (the others are coded)."""


_ERRORS = ("raise", "warn", "ignore")


def _date(value: Any) -> Optional[str]:
    """A date as text: strings as given, ``datetime``/``date``/pandas ``Timestamp`` as
    ISO dates, missing values (``None``, NaN, NaT) as ``None``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, _dt.datetime):
        # pandas' NaT is a datetime whose isoformat is "NaT".
        return None if value != value else value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, (_dt.date, _dt.datetime)):
        return _date(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    return str(value)


def _lines(
    texts: Union[Record, Iterable[Record]],
    dates: Union[None, str, Sequence[Any]],
    ids: Optional[Sequence[Any]],
) -> "tuple[list[str], list[Optional[str]]]":
    """The input as JSONL records for the coder, and each record's id as known here."""
    if isinstance(texts, (str, dict)):
        texts = [texts]
    texts = list(texts)
    n = len(texts)
    if dates is None or isinstance(dates, (str, _dt.date)):
        dates = [dates] * n
    if len(dates) != n:
        raise ValueError(f"{len(dates)} dates for {n} texts")
    if ids is not None and len(ids) != n:
        raise ValueError(f"{len(ids)} ids for {n} texts")
    lines, known = [], []
    for k, item in enumerate(texts):
        record = dict(item) if isinstance(item, dict) else {"text": item}
        if ids is not None:
            record["id"] = str(ids[k])
        d = _date(dates[k])
        if d is not None and record.get("date") is None and record.get("published") is None:
            record["date"] = d
        known.append(None if record.get("id") is None else str(record["id"]))
        lines.append(json.dumps(record, ensure_ascii=False, default=_json_value))
    return lines, known


class Coder:
    """A loaded coder, reusable across calls (the models load once, in the constructor).

    ``dictionaries``: a directory of PETRARCH dictionaries (or ``DIR/PREFIX``) in place of
    the built-in actor dictionaries, as ``dyad code --dictionaries``. ``threads``: how many
    threads code a batch (default: one per core).
    """

    def __init__(self, dictionaries: Union[None, str, "os.PathLike[str]"] = None,
                 threads: Optional[int] = None):
        path = None if dictionaries is None else os.fspath(dictionaries)
        self._coder = _dyad.Coder(path, threads)

    @property
    def load_seconds(self) -> float:
        """Seconds the constructor took to load the models and dictionaries."""
        return self._coder.load_seconds

    @property
    def threads(self) -> int:
        """Threads coding each batch."""
        return self._coder.threads

    def code(self, texts: Union[Record, Iterable[Record]],
             dates: Union[None, str, Sequence[Any]] = None,
             ids: Optional[Sequence[Any]] = None, *, errors: str = "raise") -> List[dict]:
        """PLOVER event records (the lines of ``dyad code``) for ``texts``, in input order.

        ``texts``: a string, a record dict, or an iterable of either. ``dates``: one date
        for all or one per text (ISO ``2026-11-20``, ``20261120``, a ``datetime.date``; a
        record's own ``date`` wins). ``ids``: one article id per text (default: the
        record's ``id``, else ``text-N`` for the N-th). ``errors``: what a record that
        cannot be coded does: ``"raise"`` a :class:`RecordError` or :class:`InternalError`
        naming it (after the batch is coded), ``"warn"`` or ``"ignore"`` and go on.
        """
        out: List[dict] = []
        for payload in self._run(texts, dates, ids, "code", errors):
            # Not splitlines(): a record may hold U+2028 and the like unescaped.
            out.extend(json.loads(line) for line in payload.split("\n") if line)
        return out

    def annotate(self, texts: Union[Record, Iterable[Record]],
                 dates: Union[None, str, Sequence[Any]] = None,
                 ids: Optional[Sequence[Any]] = None, *, errors: str = "raise") -> List[dict]:
        """One annotation per article (the lines of ``dyad annotate``): sentences,
        entities, quotes, events and places with their offsets. Arguments as
        :meth:`code`."""
        return [json.loads(p) for p in self._run(texts, dates, ids, "annotate", errors)]

    def explain(self, text: str, date: Optional[Any] = None) -> str:
        """How ``text`` is coded, sentence by sentence: the analysis, the actors and the
        events with the dictionary rows that produced them (what ``dyad explain``
        prints)."""
        return self._coder.explain(text, _date(date))

    def code_frame(self, df: Any, text: str = "text", date: Optional[str] = "date",
                   id: Optional[str] = "id", *, errors: str = "raise") -> Any:
        """A pandas DataFrame of events, one row per PLOVER record, for the articles in
        ``df`` (columns named by ``text``, ``date`` and ``id``; the last two may be
        absent). Nested objects are flattened one level (``trigger.start``,
        ``event_loc.country_code``); ``actor`` and ``recipient`` stay lists of dicts."""
        import pandas as pd

        texts = [str(t) for t in df[text]]
        dates = list(df[date]) if date is not None and date in df.columns else None
        ids = list(df[id]) if id is not None and id in df.columns else None
        records = self.code(texts, dates, ids, errors=errors)
        if not records:
            return pd.DataFrame(columns=["id", "article_id", "date", "event", "cameo"])
        return pd.json_normalize(records, max_level=1)

    def code_lines(self, lines: List[str], mode: str = "code",
                   default_date: Optional[str] = None, name: str = "python") -> list:
        """The low-level call: JSONL records in, ``(id, status, payload, warnings)`` out
        per record, in order, nothing raised. ``status`` is ``"ok"`` (``payload``: the
        output: the PLOVER records one a line as ``dyad code`` prints them, or the
        annotation), ``"input"`` or ``"internal"`` (``payload``: the reason)."""
        return self._coder.code_lines(lines, mode, default_date, name)

    def _run(self, texts, dates, ids, mode: str, errors: str) -> List[str]:
        if errors not in _ERRORS:
            raise ValueError(f"errors must be one of {_ERRORS}, not {errors!r}")
        lines, known = _lines(texts, dates, ids)
        payloads, failure = [], None
        for k, (rid, status, payload, notes) in enumerate(
                self._coder.code_lines(lines, mode, None, "text")):
            for note in notes:
                warnings.warn(f"dyad: {note}", stacklevel=3)
            if status == "ok":
                payloads.append(payload)
                continue
            rid = rid if rid is not None else known[k]
            kind = RecordError if status == "input" else InternalError
            message = payload if status == "internal" else f"record {k} (id {rid!r}): {payload}"
            if errors == "raise" and failure is None:
                failure = kind(message, id=rid, index=k)
            elif errors == "warn":
                warnings.warn(f"dyad: {message}", stacklevel=3)
        if failure is not None:
            raise failure
        return payloads


_default: Optional[Coder] = None
_default_lock = threading.Lock()


def _coder() -> Coder:
    """The coder behind the module-level functions, loaded on first use."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Coder()
        return _default


def code(texts: Union[Record, Iterable[Record]], dates: Union[None, str, Sequence[Any]] = None,
         ids: Optional[Sequence[Any]] = None, *, errors: str = "raise") -> List[dict]:
    """PLOVER event records for ``texts`` with the built-in dictionaries; see
    :meth:`Coder.code`."""
    return _coder().code(texts, dates, ids, errors=errors)


def annotate(texts: Union[Record, Iterable[Record]],
             dates: Union[None, str, Sequence[Any]] = None,
             ids: Optional[Sequence[Any]] = None, *, errors: str = "raise") -> List[dict]:
    """One annotation per article; see :meth:`Coder.annotate`."""
    return _coder().annotate(texts, dates, ids, errors=errors)


def explain(text: str, date: Optional[Any] = None) -> str:
    """How ``text`` is coded, sentence by sentence; see :meth:`Coder.explain`."""
    return _coder().explain(text, date)


def code_frame(df: Any, text: str = "text", date: Optional[str] = "date",
               id: Optional[str] = "id", *, errors: str = "raise") -> Any:
    """A pandas DataFrame of events for the articles in ``df``; see
    :meth:`Coder.code_frame`."""
    return _coder().code_frame(df, text=text, date=date, id=id, errors=errors)
