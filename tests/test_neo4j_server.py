"""The session's Neo4j is a real server that answers Bolt, keeps writes, and fails clearly when it cannot start."""

from __future__ import annotations

import shutil
import uuid
import zipfile
from pathlib import Path

import pytest
from fixtures_neo4j import load_neo4j_server_module, skip_or_fail
from neo4j import GraphDatabase

server = load_neo4j_server_module()


@pytest.mark.neo4j
def test_session_neo4j_answers_a_query(neo4j_uri: str, neo4j_database: str) -> None:
    with GraphDatabase.driver(neo4j_uri, auth=None) as driver:
        records, _, _ = driver.execute_query("RETURN 1 AS x", database_=neo4j_database)
    assert [record["x"] for record in records] == [1]


@pytest.mark.neo4j
def test_session_neo4j_is_community_5_26(neo4j_uri: str, neo4j_database: str) -> None:
    with GraphDatabase.driver(neo4j_uri, auth=None) as driver:
        records, _, _ = driver.execute_query(
            "CALL dbms.components() YIELD name, versions, edition RETURN name, versions[0] AS version, edition",
            database_=neo4j_database,
        )
    assert records[0]["name"] == "Neo4j Kernel"
    assert records[0]["version"].startswith("5.26.")
    assert records[0]["edition"] == "community"


@pytest.mark.neo4j
def test_a_write_is_seen_by_a_later_connection(neo4j_uri: str, neo4j_database: str) -> None:
    marker = f"persist-{uuid.uuid4()}"
    with GraphDatabase.driver(neo4j_uri, auth=None) as writer:
        writer.execute_query(
            "CREATE (:ServerProbe {marker: $marker, text: $text})",
            marker=marker,
            text="浙江省 牵头单位",
            database_=neo4j_database,
        )
    with GraphDatabase.driver(neo4j_uri, auth=None) as reader:
        records, _, _ = reader.execute_query(
            "MATCH (p:ServerProbe {marker: $marker}) RETURN p.text AS text", marker=marker, database_=neo4j_database
        )
        reader.execute_query(
            "MATCH (p:ServerProbe {marker: $marker}) DELETE p", marker=marker, database_=neo4j_database
        )
    assert [record["text"] for record in records] == ["浙江省 牵头单位"]


def test_an_empty_lib_dir_is_reported_clearly(tmp_path: Path) -> None:
    with pytest.raises(server.Neo4jUnavailable) as caught:
        server.start_neo4j(lib_dir=tmp_path)
    message = str(caught.value)
    assert str(tmp_path) in message
    assert "make neo4j-jars" in message


@pytest.mark.skipif(shutil.which("java") is None, reason="java is not installed")
def test_a_failed_start_reports_the_jvm_output(tmp_path: Path) -> None:
    # A well-formed jar named like Neo4j's that holds no classes: the launcher cannot compile against it.
    with zipfile.ZipFile(tmp_path / "neo4j-bolt-0.0.0.jar", "w") as jar:
        jar.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n")
    home = tmp_path / "home"
    home.mkdir()
    (home / "keep.txt").write_text("the caller's")
    with pytest.raises(server.Neo4jUnavailable) as caught:
        server.start_neo4j(home, lib_dir=tmp_path, timeout=120)
    message = str(caught.value)
    assert message.startswith("Neo4j exited with code")
    assert "compilation failed" in message  # the JVM's own last words, passed on
    assert (home / "keep.txt").read_text() == "the caller's"  # a home the caller gave is left in place


@pytest.mark.slow
@pytest.mark.skipif(not any(server.DEFAULT_LIB_DIR.glob("neo4j-bolt-*.jar")), reason="Neo4j jars not fetched")
def test_a_start_that_outlasts_the_timeout_is_stopped_and_reported() -> None:
    with pytest.raises(server.Neo4jUnavailable, match=r"not ready within 1 s"):
        server.start_neo4j(timeout=1)


def test_a_missing_neo4j_skips_locally(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no jars"):
        skip_or_fail("no jars")


def test_a_missing_neo4j_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true requires Neo4j: no jars"):
        skip_or_fail("no jars")
