"""Read an edge list from elsewhere: a UTF-8 CSV file with the header `source,target,weight,type`.

Columns may come in any order (names are matched without regard to case or surrounding spaces);
other columns are ignored. Ties are undirected; an empty weight counts as 1; an empty type is
"unspecified". Any problem stops the whole read with an `EdgeListError` naming the line, so a
file is either measured as a whole or not at all.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

from renkei.network.graph import Network, NetworkBuilder

REQUIRED_COLUMNS = ("source", "target", "weight", "type")
UNSPECIFIED_TYPE = "unspecified"


class EdgeListError(ValueError):
    """The edge list cannot be read; the message names the file and line."""


def read_edge_list(path: str | Path) -> Network:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise EdgeListError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    return parse_edge_list(data, name=str(path))


def parse_edge_list(data: bytes, name: str = "<edges>") -> Network:
    """Parse the bytes of an edge-list CSV into a Network (see the module docstring for the format)."""
    text = _decode(data, name)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None or not any(cell.strip() for cell in header):
        raise EdgeListError(f"{name} line 1: the file is empty; expected the header {','.join(REQUIRED_COLUMNS)}")
    columns = [cell.strip().lower() for cell in header]
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        raise EdgeListError(
            f"{name} line 1: the header lacks the column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}; expected {','.join(REQUIRED_COLUMNS)}"
        )
    duplicated = sorted({column for column in REQUIRED_COLUMNS if columns.count(column) > 1})
    if duplicated:
        raise EdgeListError(f"{name} line 1: the column {', '.join(duplicated)} appears twice in the header")
    i_source, i_target, i_weight, i_type = (columns.index(column) for column in REQUIRED_COLUMNS)
    width = len(columns)

    builder = NetworkBuilder()
    node = builder.node
    type_code = builder.type_code
    sources: list[int] = []
    targets: list[int] = []
    weights: list[str] = []
    types: list[int] = []
    lines: list[int] = []
    try:
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # blank line
            line = reader.line_num
            if len(row) != width:
                raise EdgeListError(f"{name} line {line}: expected {width} fields as in the header, found {len(row)}")
            source, target = row[i_source].strip(), row[i_target].strip()
            if not source:
                raise EdgeListError(f"{name} line {line}: the source id is empty")
            if not target:
                raise EdgeListError(f"{name} line {line}: the target id is empty")
            sources.append(node(source))
            targets.append(node(target))
            weights.append(row[i_weight].strip() or "1")
            types.append(type_code(row[i_type].strip() or UNSPECIFIED_TYPE))
            lines.append(line)
    except csv.Error as exc:
        raise EdgeListError(f"{name} line {reader.line_num}: {exc}") from None

    builder.add_arrays(
        np.asarray(sources, dtype=np.int64),
        np.asarray(targets, dtype=np.int64),
        _weights(weights, lines, name),
        np.asarray(types, dtype=np.int32),
        [],
    )
    return builder.build()


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")  # a BOM from spreadsheet programs is fine
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise EdgeListError(
            f"{name} line {line}: the file is not UTF-8 text (byte 0x{data[exc.start]:02x}); "
            "save it as UTF-8 (CSV UTF-8 in spreadsheet programs)"
        ) from None


def _weights(values: list[str], lines: list[int], name: str) -> np.ndarray:
    """Convert all weights at once; on failure find the first bad line to name it."""
    try:
        weight = np.asarray(values, dtype=np.float64) if values else np.empty(0)
    except ValueError:
        for value, line in zip(values, lines, strict=True):
            try:
                float(value)
            except ValueError:
                raise EdgeListError(f"{name} line {line}: the weight {value!r} is not a number") from None
        raise  # pragma: no cover - numpy and float() agree on what a number is
    bad = ~np.isfinite(weight) | (weight < 0)
    if bad.any():
        index = int(np.flatnonzero(bad)[0])
        reason = "is negative" if weight[index] < 0 else "is not a finite number"
        raise EdgeListError(f"{name} line {lines[index]}: the weight {values[index]!r} {reason}")
    return weight
