"""A resumable, chunked result store for sweeps.

Layout, for ``--out results.parquet``::

    results.parquet.parts/          while the sweep runs (removed when it is finished)
        manifest.json               the sweep's signature, chunk size, and the completed chunks
        chunk-000012.rows.arrow     one file per completed chunk (``.json`` without pyarrow)
        chunk-000012.regimes.arrow
    results.parquet                 the final table: one row per (point, equilibrium)
    results.regimes.parquet         one row per point: parameters and regime
    results.meta.json               command, game hash, version, seed, counts

Every file is written atomically: to a temporary name in the same folder, flushed and fsync'ed,
then ``os.replace``'d into place (POSIX rename is atomic), and the folder is fsync'ed. A chunk
counts as done only once the manifest listing it has been replaced, so a SIGKILL at any moment
leaves either the old or the new manifest; ``--resume`` recomputes exactly the chunks that are
not listed (a chunk file written but not yet listed is recomputed and overwritten with the same
content). Nothing is lost and nothing is counted twice. The final files are merged from the
chunks in chunk order, one chunk in memory at a time, so memory stays bounded.

Rows inside a chunk are sorted by point index, then ``equilibrium``; chunks are numbered by
their first point, so the merged table is sorted the same way whatever the executor or the
order in which chunks finished.
"""

from __future__ import annotations

import csv
import json
import math
import os
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from bargaining.errors import BargainingError
from bargaining.sweep.errors import SweepError

__all__ = ["ResultStore", "output_paths", "OUTPUT_FORMATS", "read_table"]

OUTPUT_FORMATS = {".parquet": "parquet", ".csv": "csv", ".jsonl": "jsonl"}
TAIL_COLUMNS = ("regret", "complete", "constraints_ok", "error")

Columns = dict[str, Any]  # column name -> list or 1-d numpy array, all of one length


def output_paths(out: str | os.PathLike) -> dict[str, Path]:
    """The files of a sweep written to ``out``: rows, regimes, meta and the parts folder."""
    if str(out).endswith(("/", os.sep)) or Path(out).is_dir():
        raise SweepError(
            "is a directory; give a file name for the table (.parquet, .csv or .jsonl)",
            option="out",
            value=out,
        )
    out = Path(out)
    fmt = OUTPUT_FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise SweepError("the file must end in .parquet, .csv or .jsonl", option="out", value=out)
    stem = out.name[: -len(out.suffix)]
    return {
        "rows": out,
        "regimes": out.with_name(f"{stem}.regimes{out.suffix}"),
        "meta": out.with_name(f"{stem}.meta.json"),
        "parts": out.with_name(f"{out.name}.parts"),
        "format": fmt,  # type: ignore[dict-item]
    }


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _atomic_write(path: Path, writer) -> None:
    """Call ``writer(tmp_path)``, fsync the file, and rename it to ``path``; an ``OSError``
    (disk full, permission denied) is one line naming the file, and leaves no file behind."""
    from bargaining.output import atomic_write

    atomic_write(path, writer)
    _fsync_dir(path.parent)


def _atomic_text(path: Path, text: str) -> None:
    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    _atomic_write(path, write)


def _have_pyarrow() -> bool:
    try:
        import pyarrow  # noqa: F401
        import pyarrow.ipc  # noqa: F401
    except ImportError:
        return False
    return True


def _py(value: Any) -> Any:
    """Plain Python value for CSV/JSON: numpy scalars unwrapped, NaN → None."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _column_list(values: Any) -> list:
    if isinstance(values, np.ndarray):
        return values.tolist()
    return list(values)


class ResultStore:
    """Chunks of a sweep on disk, with a manifest; see the module docstring."""

    def __init__(self, out: str | os.PathLike, signature: str, n_points: int, chunk_size: int):
        paths = output_paths(out)
        self.out: Path = paths["rows"]
        self.regimes_path: Path = paths["regimes"]
        self.meta_path: Path = paths["meta"]
        self.parts: Path = paths["parts"]
        self.format: str = paths["format"]  # type: ignore[assignment]
        if self.format == "parquet" and not _have_pyarrow():
            raise SweepError(
                "Parquet needs pyarrow (pip install 'bargaining[parquet]'), or use .csv/.jsonl",
                option="out",
                value=self.out,
            )
        self.chunk_format = "arrow" if self.format == "parquet" else "json"
        self.signature = signature
        self.n_points = int(n_points)
        self.chunk_size = int(chunk_size)
        self.done: set[int] = set()

    # -- chunks ------------------------------------------------------------------------------
    @property
    def n_chunks(self) -> int:
        return max(1, -(-self.n_points // self.chunk_size)) if self.n_points else 0

    def chunk_range(self, k: int) -> tuple[int, int]:
        start = k * self.chunk_size
        return start, min(self.n_points, start + self.chunk_size)

    def pending(self) -> list[int]:
        return [k for k in range(self.n_chunks) if k not in self.done]

    def done_points(self) -> int:
        return sum(self.chunk_range(k)[1] - self.chunk_range(k)[0] for k in self.done)

    def _manifest(self) -> dict[str, Any]:
        return {
            "signature": self.signature,
            "n_points": self.n_points,
            "chunk_size": self.chunk_size,
            "chunk_format": self.chunk_format,
            "done": sorted(self.done),
        }

    def open(self, resume: bool) -> str:
        """Prepare the parts folder. Returns ``"new"``, ``"resumed"`` or ``"finished"`` (a
        resumed sweep whose final files are already written)."""
        manifest_path = self.parts / "manifest.json"
        if self.parts.is_dir() and manifest_path.is_file():
            try:
                manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as err:
                raise BargainingError(
                    f"{manifest_path}: unreadable ({err}); delete {self.parts} to start again"
                ) from None
            if not resume:
                raise SweepError(
                    f"{self.parts} holds an unfinished sweep: add <opt:resume> to finish it, "
                    "or delete that folder to start again"
                )
            if manifest.get("signature") != self.signature:
                raise SweepError(
                    f"{self.parts} was started with other settings (game, grid, sample, method or "
                    "timeout); repeat the original command, or delete that folder to start again",
                    option="resume",
                )
            # the chunk layout is the one of the interrupted run
            self.chunk_size = int(manifest["chunk_size"])
            self.chunk_format = manifest.get("chunk_format", self.chunk_format)
            self.done = {int(k) for k in manifest.get("done", [])}
            for stray in self.parts.glob(".*.tmp-*"):
                stray.unlink(missing_ok=True)
            return "resumed"
        if resume and self.out.is_file() and self.meta_path.is_file():
            try:
                meta = json.loads(self.meta_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                meta = {}
            if meta.get("signature") == self.signature:
                return "finished"
        if self.parts.exists():  # a folder without a manifest: killed before it was complete
            shutil.rmtree(self.parts)
        for old in self.out.parent.glob(f".{self.parts.name}.*"):
            shutil.rmtree(old, ignore_errors=True)
        tmp = self.out.parent / f".{self.parts.name}.new-{os.getpid()}"
        if tmp.exists():
            shutil.rmtree(tmp)
        tmp.mkdir(parents=True)
        self.done = set()
        _atomic_text(tmp / "manifest.json", json.dumps(self._manifest()))
        os.replace(tmp, self.parts)
        _fsync_dir(self.parts.parent)
        return "new"

    def _chunk_file(self, k: int, part: str) -> Path:
        return self.parts / f"chunk-{k:06d}.{part}.{self.chunk_format}"

    def write_chunk(self, k: int, rows: Columns, regimes: Columns) -> None:
        """Store chunk ``k`` (its row and regime columns) and mark it done in the manifest."""
        for part, cols in (("rows", rows), ("regimes", regimes)):
            path = self._chunk_file(k, part)
            if self.chunk_format == "arrow":
                import pyarrow as pa
                import pyarrow.ipc as ipc

                table = pa.table({name: _arrow_array(v) for name, v in cols.items()})

                def write(tmp: Path, table=table) -> None:
                    with pa.OSFile(str(tmp), "wb") as sink, ipc.new_file(sink, table.schema) as w:
                        w.write_table(table)

                _atomic_write(path, write)
            else:
                data = {name: [_py(v) for v in _column_list(vals)] for name, vals in cols.items()}
                _atomic_text(path, json.dumps(data, separators=(",", ":")))
        self.done.add(k)
        _atomic_text(self.parts / "manifest.json", json.dumps(self._manifest()))

    def _read_chunk(self, k: int, part: str):
        path = self._chunk_file(k, part)
        if not path.is_file():
            raise BargainingError(
                f"{path}: missing although the manifest lists it; delete {self.parts} and rerun"
            )
        if self.chunk_format == "arrow":
            import pyarrow as pa
            import pyarrow.ipc as ipc

            with pa.memory_map(str(path), "r") as src:
                return ipc.open_file(src).read_all()
        return json.loads(path.read_text(encoding="utf-8"))

    def _schema_pass(self, part: str) -> tuple[list[str], dict[str, Any]]:
        """Column names in first-seen order (tail columns last) and, for Arrow, their types."""
        names: list[str] = []
        types: dict[str, set] = {}
        for k in range(self.n_chunks):
            if self.chunk_format == "arrow":
                import pyarrow as pa
                import pyarrow.ipc as ipc

                with pa.memory_map(str(self._chunk_file(k, part)), "r") as src:
                    schema = ipc.open_file(src).schema
                for f in schema:
                    if f.name not in types:
                        names.append(f.name)
                        types[f.name] = set()
                    types[f.name].add(f.type)
            else:
                for name in self._read_chunk(k, part):
                    if name not in types:
                        names.append(name)
                        types[name] = set()
        ordered = [n for n in names if n not in TAIL_COLUMNS] + [n for n in TAIL_COLUMNS if n in types]
        return ordered, {n: _unify_types(types[n]) for n in ordered} if self.chunk_format == "arrow" else {}

    def _iter_chunks(self, part: str) -> Iterator[Any]:
        for k in range(self.n_chunks):
            yield self._read_chunk(k, part)

    # -- final files --------------------------------------------------------------------------
    def finalize(self, meta: Mapping[str, Any]) -> None:
        """Merge the chunks into the final rows and regimes files, write the meta file, and
        remove the parts folder. Safe to repeat after a kill."""
        missing = self.pending()
        if missing:
            raise SweepError(f"{self.parts}: {len(missing)} chunks still missing; rerun with <opt:resume>")
        for part, target in (("rows", self.out), ("regimes", self.regimes_path)):
            names, types = self._schema_pass(part)
            writer = {"parquet": self._write_parquet, "csv": self._write_csv, "jsonl": self._write_jsonl}[
                self.format
            ]
            _atomic_write(
                target, lambda tmp, part=part, names=names, types=types, w=writer: w(tmp, part, names, types)
            )
        _atomic_text(self.meta_path, json.dumps({**meta, "signature": self.signature}, indent=2) + "\n")
        trash = self.out.parent / f".{self.parts.name}.trash-{os.getpid()}"
        os.replace(self.parts, trash)
        _fsync_dir(self.out.parent)
        shutil.rmtree(trash, ignore_errors=True)

    def _rows_of(self, chunk: Any, names: list[str]) -> Iterator[list]:
        if self.chunk_format == "arrow":
            cols = [
                chunk.column(n).to_pylist() if n in chunk.column_names else [None] * chunk.num_rows
                for n in names
            ]
            n = chunk.num_rows
        else:
            n = len(next(iter(chunk.values()))) if chunk else 0
            cols = [chunk.get(name, [None] * n) for name in names]
        for i in range(n):
            yield [_py(c[i]) for c in cols]

    def _write_csv(self, tmp: Path, part: str, names: list[str], types: dict) -> None:
        with open(tmp, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(names)
            for chunk in self._iter_chunks(part):
                for row in self._rows_of(chunk, names):
                    w.writerow(["" if v is None else repr(v) if isinstance(v, float) else v for v in row])

    def _write_jsonl(self, tmp: Path, part: str, names: list[str], types: dict) -> None:
        with open(tmp, "w", encoding="utf-8") as fh:
            for chunk in self._iter_chunks(part):
                for row in self._rows_of(chunk, names):
                    fh.write(json.dumps(dict(zip(names, row)), separators=(",", ":")) + "\n")

    def _write_parquet(self, tmp: Path, part: str, names: list[str], types: dict) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pa.schema([pa.field(n, types[n]) for n in names])
        with pq.ParquetWriter(str(tmp), schema) as writer:
            for chunk in self._iter_chunks(part):
                cols = []
                for f in schema:
                    if f.name in chunk.column_names:
                        col = chunk.column(f.name)
                        cols.append(col if col.type == f.type else col.cast(f.type))
                    else:
                        cols.append(pa.nulls(chunk.num_rows, f.type))
                writer.write_table(pa.Table.from_arrays(cols, schema=schema))


def _arrow_array(values: Any):
    import pyarrow as pa

    if isinstance(values, np.ndarray) and values.dtype != object:
        # NaN (an undefined quantity, e.g. a response after an off-path message) becomes null,
        # as in the CSV and JSONL outputs
        return pa.array(values, from_pandas=True)
    if isinstance(values, np.ndarray):
        # object columns of numbers, bools, strings and None convert in C; anything else (such as
        # exact Fractions) takes the per-cell path below, which writes them as strings
        try:
            return pa.array(values, from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            pass
    vals = [_py(v) for v in _column_list(values)]
    try:
        return pa.array(vals)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.array([None if v is None else str(v) for v in vals], type=pa.string())


def _unify_types(types: set):
    import pyarrow as pa

    real = {t for t in types if t != pa.null()}
    if not real:
        return pa.null()
    if len(real) == 1:
        return next(iter(real))
    if all(pa.types.is_integer(t) or pa.types.is_floating(t) for t in real):
        return pa.float64()
    return pa.string()


def read_table(path: str | os.PathLike, columns: list[str] | None = None) -> list[dict[str, Any]]:
    """Read a sweep table (Parquet, CSV or JSONL) as a list of row dicts (for plots and tests),
    with only ``columns`` (those present) when given. CSV values come back as numbers where they
    parse as numbers."""
    path = Path(path)
    fmt = OUTPUT_FORMATS.get(path.suffix.lower())
    if not path.is_file():
        raise BargainingError(f"{path}: no such file")
    keep = (lambda row: row) if columns is None else (lambda row: {k: row[k] for k in columns if k in row})
    if fmt == "parquet":
        if not _have_pyarrow():
            raise BargainingError(
                f"{path}: reading Parquet needs pyarrow (pip install 'bargaining[parquet]')"
            )
        import pyarrow.parquet as pq

        if columns is not None:
            present = set(pq.read_schema(str(path)).names)
            return pq.read_table(str(path), columns=[c for c in columns if c in present]).to_pylist()
        return pq.read_table(str(path)).to_pylist()
    if fmt == "jsonl":
        with open(path, encoding="utf-8") as fh:
            return [keep(json.loads(line)) for line in fh if line.strip()]
    if fmt == "csv":
        with open(path, newline="", encoding="utf-8") as fh:
            return [{k: _parse_csv(v) for k, v in keep(row).items()} for row in csv.DictReader(fh)]
    raise BargainingError(f"{path}: expected a .parquet, .csv or .jsonl sweep table")


def _parse_csv(text: str) -> Any:
    if text == "":
        return None
    if text in ("True", "False"):
        return text == "True"
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text
