"""SQLite storage for the REST resources: schema, seeding, list / get / insert.

Owns the connection and the SQL. Calls are synchronous and run inline on the event loop:
primary-key reads and single-row inserts on these small indexed tables take microseconds
(see docs/design/0002-demo-target.md), less than handing them to a thread would cost.
Row totals are counted once at open and then maintained in memory.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from datetime import datetime
from pathlib import Path

from genesis_load.target import dataset
from genesis_load.target.resources import RESOURCES

__all__ = ["Store"]


class Store:
    """One SQLite database; ``path`` None creates it in a temporary directory removed on close."""

    def __init__(
        self,
        path: str | None,
        *,
        seed: int,
        users: int,
        workouts: int,
        plans: int,
    ) -> None:
        self._tmpdir = None if path else tempfile.mkdtemp(prefix="genesis-target-")
        self.path = path or str(Path(self._tmpdir or ".") / "genesis.sqlite3")
        # Created wherever create_app runs, then used only by the event loop's thread, serially.
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=OFF")
        self._create_tables()
        self._seed(seed, users, workouts, plans)
        self._totals = {
            name: int(self._db.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0])
            for name in RESOURCES
        }
        self._select = {
            name: f"SELECT {', '.join(res.columns)} FROM {name} WHERE id = ?"
            for name, res in RESOURCES.items()
        }

    def _create_tables(self) -> None:
        for name, res in RESOURCES.items():
            cols = ", ".join(f"{f.name} {f.sql_type} NOT NULL" for f in res.fields)
            self._db.execute(
                f"CREATE TABLE IF NOT EXISTS {name} "
                f"(id INTEGER PRIMARY KEY, {cols}, created_at TEXT NOT NULL)"
            )
            for f in res.fields:
                if f.indexed:
                    self._db.execute(
                        f"CREATE INDEX IF NOT EXISTS {name}_{f.name} ON {name} ({f.name})"
                    )

    def _seed(self, seed: int, users: int, workouts: int, plans: int) -> None:
        """Fill empty tables with the deterministic dataset; leaves non-empty tables alone."""
        rows = {
            "users": dataset.users(seed, users),
            "workouts": dataset.workouts(seed, workouts, users),
            "plans": dataset.plans(seed, plans),
        }
        self._db.execute("BEGIN")
        for name, res in RESOURCES.items():
            if self._db.execute(f"SELECT 1 FROM {name} LIMIT 1").fetchone():
                continue
            marks = ", ".join("?" * len(res.columns))
            self._db.executemany(f"INSERT INTO {name} VALUES ({marks})", rows[name])
        self._db.execute("COMMIT")

    def total(self, resource: str) -> int:
        return self._totals[resource]

    def list(self, resource: str, limit: int, offset: int) -> list[dict[str, object]]:
        columns = ", ".join(RESOURCES[resource].columns)
        cursor = self._db.execute(
            f"SELECT {columns} FROM {resource} ORDER BY id LIMIT ? OFFSET ?", (limit, offset)
        )
        return [dict(row) for row in cursor]

    def get(self, resource: str, row_id: int) -> dict[str, object] | None:
        row = self._db.execute(self._select[resource], (row_id,)).fetchone()
        return dict(row) if row is not None else None

    def exists(self, resource: str, row_id: int) -> bool:
        query = f"SELECT 1 FROM {resource} WHERE id = ?"
        return self._db.execute(query, (row_id,)).fetchone() is not None

    def insert(self, resource: str, values: dict[str, object]) -> dict[str, object]:
        """Insert validated values; returns the stored row including id and created_at."""
        row = {**values, "created_at": datetime.now().isoformat(timespec="seconds")}
        names = ", ".join(row)
        marks = ", ".join("?" * len(row))
        cursor = self._db.execute(
            f"INSERT INTO {resource} ({names}) VALUES ({marks})", tuple(row.values())
        )
        self._totals[resource] += 1
        return {"id": cursor.lastrowid, **row}

    def close(self) -> None:
        self._db.close()
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
