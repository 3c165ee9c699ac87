"""Neo4j's official bulk importer on the CSVs ``policykg export`` writes, against loading through Bolt.

For an empty Neo4j database the fastest way in is ``neo4j-admin database import full``. Its
main class (``org.neo4j.cli.AdminTool``, with the import command of ``neo4j-import-tool``) is in
the Maven Central jars tools/neo4j/pom.xml already fetches, so it runs here without a Neo4j
distribution::

    java -cp 'tools/neo4j/lib/*' org.neo4j.cli.AdminTool database import full \\
        --nodes=nodes-header.csv,nodes.csv --relationships=edges-header.csv,edges.csv neo4j

The path measured here, step by step:

1. ``policykg export --graph full --format csv --out DIR`` from a loaded embedded store
   (nodes.csv: one row per node, ``id`` = ``Label:key``, ``node_type``; edges.csv: ``source``,
   ``target``, ``rel_type``; properties as columns, lists joined with "; ");
2. header files written from the schema (:func:`header_files`): ``id`` becomes ``:ID``,
   ``node_type`` ``:LABEL``, ``policykg_id`` the key property ``id``, every property its type;
3. the import into the stopped database's home (the one tools/neo4j/Launcher.java opens);
4. Neo4j started on that home and :class:`~policykg.graph.neo4j_store.Neo4jStore` opened,
   which creates the key constraints and indexes (populated from the imported data), and the
   one column two labels type differently (``level``: INT64 on Section, STRING on Agency) cast
   back on the label that is an integer.

    .venv/bin/python bench/neo4j_import.py --measures 20000     # import vs Bolt load of the same corpus
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import BENCH_DIR, directory_mb, machine, progress

ROOT = BENCH_DIR.parent
PY = sys.executable
NEO4J_TYPES = {"STRING": "string", "INT64": "long", "DOUBLE": "double", "BOOL": "boolean", "STRING[]": "string[]"}
CAST = {"INT64": "toInteger", "DOUBLE": "toFloat", "BOOL": "toBoolean"}


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return env


def export_csv(store_dir: Path, out: Path) -> float:
    """``policykg export --graph full --format csv`` of an embedded store; seconds taken."""
    started = time.monotonic()
    subprocess.run(
        [
            PY,
            "-m",
            "policykg",
            "export",
            "--graph",
            "full",
            "--format",
            "csv",
            "--out",
            str(out),
            "--store",
            str(store_dir),
        ],
        cwd=ROOT,
        env=_env(),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.monotonic() - started


def _column_types(specs: dict[str, dict[str, str]]) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """Each property's one import type, and (label, property, schema type) for the columns labels disagree on."""
    seen: dict[str, set[str]] = {}
    for props in specs.values():
        for name, kind in props.items():
            seen.setdefault(name, set()).add(kind)
    types = {name: (next(iter(kinds)) if len(kinds) == 1 else "STRING") for name, kinds in seen.items()}
    fixes = [
        (label, name, kind)
        for label, props in specs.items()
        for name, kind in props.items()
        if types[name] != kind and kind in CAST
    ]
    return types, fixes


def header_files(export_dir: Path) -> list[tuple[str, str, str]]:
    """nodes-header.csv and edges-header.csv for the export's columns; returns the casts left to do after."""
    from policykg.graph.schema import NODES, RELS

    node_types, fixes = _column_types({label: dict(spec.properties) for label, spec in NODES.items()})
    rel_types, _ = _column_types({t: dict(spec.properties) for t, spec in RELS.items()})
    special_nodes = {"id": ":ID", "node_type": ":LABEL", "label": ":IGNORE", "policykg_id": "id:string"}
    special_edges = {"source": ":START_ID", "target": ":END_ID", "rel_type": ":TYPE"}
    for name, specials, types in (
        ("nodes", special_nodes, node_types),
        ("edges", special_edges, rel_types),
    ):
        with (export_dir / f"{name}.csv").open(encoding="utf-8", newline="") as source:
            columns = next(csv.reader(source))
        header = [
            specials.get(column)
            or (f"{column}:{NEO4J_TYPES[types[column]]}" if column in types else f"{column}:IGNORE")
            for column in columns
        ]
        with (export_dir / f"{name}-header.csv").open("w", encoding="utf-8", newline="") as out:
            csv.writer(out, lineterminator="\n").writerow(header)
        # The data files keep their own header line; the importer is told to skip it.
        _drop_first_line(export_dir / f"{name}.csv")
    return fixes


def _drop_first_line(path: Path) -> None:
    body = path.with_suffix(".body")
    with path.open("rb") as source, body.open("wb") as out:
        source.readline()
        shutil.copyfileobj(source, out, 1 << 20)
    os.replace(body, path)


def admin_import(home: Path, export_dir: Path, lib_dir: Path) -> tuple[float, str]:
    """``neo4j-admin database import full`` into the database ``neo4j`` of ``home``; seconds and its report."""
    java = shutil.which("java") or "java"
    command = [
        java,
        "-Xmx1g",
        "-cp",
        str(lib_dir / "*"),
        "org.neo4j.cli.AdminTool",
        "database",
        "import",
        "full",
        f"--nodes={export_dir / 'nodes-header.csv'},{export_dir / 'nodes.csv'}",
        f"--relationships={export_dir / 'edges-header.csv'},{export_dir / 'edges.csv'}",
        "--array-delimiter=;",
        "--trim-strings=true",
        "--multiline-fields=true",
        "--overwrite-destination=true",
        f"--report-file={home / 'import.report'}",
        "neo4j",
    ]
    env = dict(os.environ, NEO4J_HOME=str(home), NEO4J_CONF=str(home / "conf"))
    (home / "conf").mkdir(parents=True, exist_ok=True)
    (home / "conf" / "neo4j.conf").touch()
    started = time.monotonic()
    completed = subprocess.run(command, env=env, capture_output=True, text=True)
    seconds = time.monotonic() - started
    if completed.returncode != 0:
        raise RuntimeError(
            f"neo4j-admin import failed ({completed.returncode}): {(completed.stderr or completed.stdout)[-1500:]}"
        )
    return seconds, completed.stdout[-600:]


def import_store(store_dir: Path, home: Path, workdir: Path) -> dict[str, Any]:
    """Export ``store_dir``, import it into ``home``, start Neo4j there and open the store; timings and counts.

    Returns the running server under ``"running"`` (the caller stops it).
    """
    sys.path.insert(0, str(ROOT / "tests"))
    from fixtures_neo4j import load_neo4j_server_module
    from neo4j import GraphDatabase

    from policykg.graph.neo4j_store import Neo4jStore

    server = load_neo4j_server_module()
    export_dir = workdir / "export"
    shutil.rmtree(export_dir, ignore_errors=True)
    export_s = export_csv(store_dir, export_dir)
    csv_mb = directory_mb(export_dir)
    progress(f"  export: {csv_mb} MiB of CSV in {export_s:.1f} s")
    fixes = header_files(export_dir)
    import_s, report = admin_import(home, export_dir, server.DEFAULT_LIB_DIR)
    progress(f"  neo4j-admin import: {import_s:.1f} s")
    started = time.monotonic()
    running = server.start_neo4j(home)
    start_s = time.monotonic() - started
    started = time.monotonic()
    store = Neo4jStore(running.uri)  # creates the key constraints and indexes, as on any first start
    driver = GraphDatabase.driver(running.uri, auth=None)
    try:
        for label, name, kind in fixes:
            # Labels and property names come from the schema's allow-list, never from input.
            driver.execute_query(f"MATCH (n:{label}) WHERE n.{name} IS NOT NULL SET n.{name} = {CAST[kind]}(n.{name})")
        driver.execute_query("CALL db.awaitIndexes(600)")
        schema_s = time.monotonic() - started
        counts = store.counts()
    finally:
        driver.close()
        store.close()
    shutil.rmtree(export_dir, ignore_errors=True)
    return {
        "export_s": round(export_s, 1),
        "csv_mb": csv_mb,
        "import_s": round(import_s, 1),
        "start_s": round(start_s, 1),
        "constraints_indexes_and_casts_s": round(schema_s, 1),
        "seconds": round(export_s + import_s + schema_s, 1),
        "counts": counts,
        "importer_output_tail": report.strip().splitlines()[-3:],
        "running": running,
    }


def same_answers(store_dir: Path, uri: str) -> list[str]:
    """The catalogue queries of bench/bench_queries.py whose rows differ between the embedded store and Neo4j."""
    from bench_queries import busiest_agencies, catalogue_queries
    from common import read_query

    from policykg.graph.embedded import EmbeddedStore
    from policykg.graph.neo4j_store import Neo4jStore

    differing = []
    with EmbeddedStore(store_dir, read_only=True) as embedded:
        neo4j = Neo4jStore(uri)
        try:
            (first, _), (second, _) = busiest_agencies(embedded)[:2]
            for label, (name, params) in catalogue_queries(first, second).items():
                if read_query(embedded, name, params) != read_query(neo4j, name, params):
                    differing.append(label)
        finally:
            neo4j.close()
    return differing


def main(argv: list[str] | None = None) -> int:
    """Bulk import against the Bolt load of the same synthetic corpus, each into a fresh Neo4j."""
    from scale import load_corpus, write_corpus

    sys.path.insert(0, str(ROOT / "tests"))
    from fixtures_neo4j import load_neo4j_server_module

    from policykg.graph.embedded import EmbeddedStore
    from policykg.graph.neo4j_store import Neo4jStore

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measures", type=int, default=20_000)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--skip-bolt", action="store_true", help="Only the import path.")
    args = parser.parse_args(argv)
    server = load_neo4j_server_module()
    with tempfile.TemporaryDirectory(prefix="policykg-n4j-import-") as tmp:
        workdir = Path(tmp)
        paths = write_corpus(workdir / "corpus", args.measures)
        progress(f"embedded: loading {len(paths):,} documents")
        with EmbeddedStore(workdir / "embedded") as store:
            embedded_load = load_corpus(store, paths)
            embedded_counts = store.counts()
        progress("import path: export, neo4j-admin import, start, constraints and indexes")
        imported = import_store(workdir / "embedded", workdir / "home-import", workdir)
        running = imported.pop("running")
        try:
            differing = same_answers(workdir / "embedded", running.uri)
        finally:
            running.stop()
        result: dict[str, Any] = {
            "machine": machine(),
            "measures": embedded_counts["Measure"],
            "embedded_load_s": embedded_load["seconds"],
            "import": imported,
            "import_counts_match_embedded": imported["counts"] == embedded_counts,
            "queries_answering_differently": differing,
        }
        if not args.skip_bolt:
            progress("Bolt path: load_files through Neo4jStore into a fresh Neo4j")
            running = server.start_neo4j(workdir / "home-bolt")
            try:
                store = Neo4jStore(running.uri)
                try:
                    bolt = load_corpus(store, paths)
                finally:
                    store.close()
            finally:
                running.stop()
            result["bolt_load_s"] = bolt["seconds"]
            result["import_speedup_vs_bolt_load"] = round(bolt["seconds"] / imported["seconds"], 2)
            result["import_plus_embedded_load_speedup_vs_bolt_load"] = round(
                bolt["seconds"] / (imported["seconds"] + embedded_load["seconds"]), 2
            )
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
