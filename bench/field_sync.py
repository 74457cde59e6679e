"""Sync of 200 queued results from one phone (issue 18's target: under 2 s).

A grid worker with 200 open tasks sends the outbox field.js keeps: 200 screenings through
POST /api/v1/field/sync, the whole request stack in-process (session, CSRF, JSON, the
services, the database). Measured on a scratch database (SQLite file, PostgreSQL), each in a
child process, as the median and the worst of several rounds (each round new tasks):

- 200 screenings without photos, one request;
- 200 screenings each with a photo (a 640x480 JPEG as the phone keeps it), in the batches
  field.js makes (at most 3 MB a request), all requests together;
- the same 200 sent again (a replayed sync: nothing is written);
- the queries of one sync of 200, per screening (counted once, outside the timed rounds).

Wall time and the process's CPU time are both printed: on a machine shared with other jobs
the wall time grows with their load, the CPU time much less.

    python bench/field_sync.py                 # both databases
    python bench/field_sync.py --db sqlite --rounds 3
"""

from __future__ import annotations

import argparse
import base64
import gc
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_URL = "postgres://postgres@127.0.0.1:5432/yufang_field_bench"
ENTRIES = 200
BATCH_BYTES = 3 * 1024 * 1024  # as field.js


def _setup(db: str, workdir: Path) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "yufang.settings"
    os.environ["YUFANG_VAR_DIR"] = str(workdir)
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-not-for-production-0123456789")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    if db == "postgres":
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS yufang_field_bench")
            conn.execute("CREATE DATABASE yufang_field_bench")
        os.environ["DATABASE_URL"] = PG_URL
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'field-bench.sqlite3'}"
    import django

    django.setup()


def _photo() -> str:
    from PIL import Image

    buffer = io.BytesIO()
    Image.effect_noise((640, 480), 40).convert("RGB").save(buffer, "JPEG", quality=80)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode()


def _batches(entries: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    out: list[list[dict[str, Any]]] = []
    current: list[dict[str, Any]] = []
    size = 0
    for entry in entries:
        n = len(json.dumps(entry))
        if current and (size + n > BATCH_BYTES or len(current) >= ENTRIES):
            out.append(current)
            current, size = [], 0
        current.append(entry)
        size += n
    if current:
        out.append(current)
    return out


def child(db: str, rounds: int) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="field-bench-"))
    _setup(db, workdir)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from yufang import policy
    from yufang.accounts.models import Role
    from yufang.grid.models import Screening
    from yufang.grid.tests.factories import task
    from yufang.tests.factories import EnterpriseFactory, GridFactory, persona, region

    call_command("migrate", verbosity=0)
    call_command("import_reference", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    grid = GridFactory(township=region("370211001"))
    worker = persona(Role.GRID_WORKER, grid=grid)
    client = Client()
    client.force_login(worker)
    client.get("/field/")  # the CSRF cookie, as the page leaves it
    csrf = client.cookies["csrftoken"].value
    policy.value("grid_far_from_enterprise_m", on=timezone.localdate())
    photo = _photo()
    # As the server does once loaded (yufang/wsgi.py).
    gc.collect()
    gc.freeze()

    def outbox(with_photo: bool) -> list[dict[str, Any]]:
        enterprises = EnterpriseFactory.create_batch(
            ENTRIES,
            county=region("370211"),
            township=grid.township,
            grid=grid,
            latitude=35.96,
            longitude=120.19,
        )
        now = timezone.now().isoformat()
        return [
            {
                "key": uuid.uuid4().hex,
                "kind": "screening",
                "task_id": task(e, worker=worker).pk,
                "done_at": now,
                "answers": {"安全出口畅通": "yes", "灭火器在有效期内": "yes"},
                "note": "正常",
                "latitude": "35.9601",
                "longitude": "120.1902",
                "accuracy_m": 12,
                "photos": [photo] if with_photo else [],
            }
            for e in enterprises
        ]

    def send(entries: list[dict[str, Any]]) -> tuple[float, float, int]:
        wall, cpu = time.perf_counter(), time.process_time()
        requests = 0
        for batch in _batches(entries):
            answer = client.post(
                "/api/v1/field/sync",
                json.dumps({"entries": batch}),
                content_type="application/json",
                HTTP_X_CSRFTOKEN=csrf,
            )
            assert answer.status_code == 200, answer.content[:500]
            requests += 1
        return time.perf_counter() - wall, time.process_time() - cpu, requests

    send(outbox(False)[:20])  # warm-up: the first request of a process loads what it caches
    counted = outbox(False)
    with CaptureQueriesContext(connection) as captured:
        send(counted)
    queries = len(captured.captured_queries)
    figures: dict[str, list[tuple[float, float, int]]] = {"plain": [], "photos": [], "replay": []}
    for _ in range(rounds):
        plain = outbox(False)
        figures["plain"].append(send(plain))
        figures["replay"].append(send(plain))
        figures["photos"].append(send(outbox(True)))
    expected = 20 + ENTRIES + rounds * 2 * ENTRIES
    assert Screening.objects.count() == expected, (Screening.objects.count(), expected)

    def summary(runs: list[tuple[float, float, int]]) -> dict[str, Any]:
        return {
            "wall_median_s": round(statistics.median(r[0] for r in runs), 3),
            "wall_max_s": round(max(r[0] for r in runs), 3),
            "cpu_median_s": round(statistics.median(r[1] for r in runs), 3),
            "requests": runs[0][2],
        }

    return {
        "db": f"{connection.vendor} {connection.Database.sqlite_version}"
        if connection.vendor == "sqlite"
        else f"{connection.vendor} {connection.pg_version}",
        "rounds": rounds,
        "photo_kb": round(len(photo) * 3 / 4 / 1024),
        "queries_per_screening": round(queries / ENTRIES, 1),
        **{name: summary(runs) for name, runs in figures.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--child", choices=["sqlite", "postgres"])
    args = parser.parse_args()
    if args.child:
        print("RESULT " + json.dumps(child(args.child, args.rounds)))
        return
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = float("nan")
    print(f"200 queued results from one phone; {os.cpu_count()} cores, load {load:.1f}")
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        cmd = [sys.executable, __file__, "--child", db, "--rounds", str(args.rounds)]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)  # noqa: S603
        found = [x for x in proc.stdout.splitlines() if x.startswith("RESULT ")]
        if proc.returncode != 0 or not found:
            print(proc.stdout[-3000:], proc.stderr[-5000:], file=sys.stderr)
            raise SystemExit(f"{db} run failed")
        r = json.loads(found[-1][7:])
        print(
            f"== {r['db']} ({r['rounds']} rounds; {r['queries_per_screening']} queries a screening)"
        )
        for name, label in (
            ("plain", "200 screenings, one request"),
            ("photos", f"200 screenings with a {r['photo_kb']} KB photo each"),
            ("replay", "the same 200 again (replayed)"),
        ):
            f = r[name]
            print(
                f"  {label}: {f['wall_median_s']:.2f} s median, {f['wall_max_s']:.2f} s worst"
                f" (CPU {f['cpu_median_s']:.2f} s; {f['requests']} request(s))"
            )


if __name__ == "__main__":
    main()
