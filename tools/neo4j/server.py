"""Start a real Neo4j 5.26 (embedded community edition with Bolt) from the jars `make neo4j-jars` fetched.

Used by the test session (tests/fixtures_neo4j.py) and by `make neo4j` for a person.
Needs only ``java`` (17+) on PATH and the jars in tools/neo4j/lib/; nothing is compiled ahead:
Launcher.java runs as a single-file source program.

    with start_neo4j() as neo4j:
        print(neo4j.uri)   # bolt://127.0.0.1:PORT, no authentication

>>> Neo4jUnavailable("Java is not installed.").args[0]
'Java is not installed.'
"""

from __future__ import annotations

import collections
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

TOOL_DIR = Path(__file__).resolve().parent
DEFAULT_LIB_DIR = TOOL_DIR / "lib"
LAUNCHER = TOOL_DIR / "Launcher.java"
READY_PREFIX = "READY "
STOP_GRACE_SECONDS = 30.0
OUTPUT_LINES_KEPT = 20

# The flags Neo4j 5.26's own conf/neo4j.conf passes (server.jvm.additional), minus profiling-only ones.
JVM_FLAGS = (
    "-Xmx1g",
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
)


class Neo4jUnavailable(RuntimeError):
    """Neo4j cannot be started here: java or the jars are missing, or start-up failed."""


@dataclass
class RunningNeo4j:
    """A Neo4j process started by :func:`start_neo4j`; ``stop()`` (or leaving ``with``) ends it."""

    uri: str
    process: subprocess.Popen[str]
    home: Path
    ready_seconds: float
    owns_home: bool = False
    output: collections.deque[str] = field(default_factory=lambda: collections.deque(maxlen=OUTPUT_LINES_KEPT))

    def stop(self, grace_seconds: float = STOP_GRACE_SECONDS) -> None:
        """Send SIGTERM (Neo4j's shutdown hook checkpoints and closes), wait, and kill after the grace period."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=grace_seconds)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.owns_home:
            shutil.rmtree(self.home, ignore_errors=True)

    def __enter__(self) -> RunningNeo4j:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def java_command(home: Path, lib_dir: Path = DEFAULT_LIB_DIR, port: int | None = None) -> list[str]:
    """The command line that runs Launcher.java against the jars in ``lib_dir``.

    >>> cmd = java_command(Path("/tmp/h"), Path("/opt/lib"), port=7687)
    >>> cmd[cmd.index("-cp") + 1], cmd[-4:]
    ('/opt/lib/*', ['--home', '/tmp/h', '--port', '7687'])
    """
    java = shutil.which("java") or "java"
    command = [java, *JVM_FLAGS, "-cp", str(lib_dir / "*"), str(LAUNCHER), "--home", str(home)]
    if port is not None:
        command += ["--port", str(port)]
    return command


def _check_prerequisites(lib_dir: Path) -> None:
    if shutil.which("java") is None:
        raise Neo4jUnavailable("Neo4j cannot start because `java` (17 or newer) is not on PATH.")
    if not lib_dir.is_dir() or not any(lib_dir.glob("neo4j-bolt-*.jar")):
        raise Neo4jUnavailable(f"Neo4j cannot start because {lib_dir} holds no Neo4j jars; run `make neo4j-jars`.")


def _pump_output(process: subprocess.Popen[str], sink: collections.deque[str], ready: list[str]) -> None:
    """Keep the last lines of the JVM's output (for error messages) and spot the READY line."""
    assert process.stdout is not None
    for raw in process.stdout:
        line = raw.rstrip("\n")
        sink.append(line)
        if line.startswith(READY_PREFIX) and not ready:
            ready.append(line[len(READY_PREFIX) :].strip())


def _wait_until_ready(
    running: RunningNeo4j, ready: list[str], pump: threading.Thread, deadline: float, timeout: float
) -> None:
    process, output = running.process, running.output
    while not ready:
        if process.poll() is not None:
            pump.join(timeout=5)
            raise Neo4jUnavailable(
                f"Neo4j exited with code {process.returncode} before it was ready; its last output: "
                + " | ".join(output)
            )
        if time.monotonic() > deadline:
            raise Neo4jUnavailable(
                f"Neo4j was not ready within {timeout:.0f} s; its last output: " + " | ".join(output)
            )
        time.sleep(0.1)


def start_neo4j(
    home: Path | None = None,
    timeout: float = 180,
    *,
    lib_dir: Path = DEFAULT_LIB_DIR,
    port: int | None = None,
) -> RunningNeo4j:
    """Start Neo4j on 127.0.0.1 (a free port unless ``port`` is given) and wait until Bolt answers.

    ``home`` defaults to a fresh temporary directory, removed again by ``stop()``.
    Raises :class:`Neo4jUnavailable` when java or the jars are missing, the process dies,
    or it is not ready within ``timeout`` seconds.

    >>> try:
    ...     start_neo4j(lib_dir=Path("/nonexistent"))
    ... except Neo4jUnavailable as error:
    ...     print(error)
    Neo4j cannot start because /nonexistent holds no Neo4j jars; run `make neo4j-jars`.
    """
    _check_prerequisites(lib_dir)
    owns_home = home is None
    home_dir = Path(tempfile.mkdtemp(prefix="policykg-neo4j-")) if home is None else home
    output: collections.deque[str] = collections.deque(maxlen=OUTPUT_LINES_KEPT)
    ready: list[str] = []
    started = time.monotonic()
    process = subprocess.Popen(
        java_command(home_dir, lib_dir, port),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    pump = threading.Thread(target=_pump_output, args=(process, output, ready), name="neo4j-output", daemon=True)
    pump.start()
    running = RunningNeo4j("", process, home_dir, 0.0, owns_home, output)
    try:
        _wait_until_ready(running, ready, pump, started + timeout, timeout)
    except BaseException:  # Ctrl-C while waiting included: never leave the JVM running behind us
        running.stop()
        raise
    running.uri = ready[0]
    running.ready_seconds = time.monotonic() - started
    return running


def rss_megabytes(pid: int) -> float | None:
    """Resident memory of a process in MiB, from /proc (Linux); ``None`` where unavailable.

    >>> import os
    >>> rss_megabytes(os.getpid()) > 1
    True
    """
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _stop_on_signal(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main() -> int:
    """Run Neo4j in the foreground until Ctrl-C (`make neo4j`)."""
    # Stop the JVM on Ctrl-C, kill or a closed terminal alike; never leave it running behind us.
    # (SIGINT too: a shell that starts us in the background sets it to "ignore".)
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _stop_on_signal)
    try:
        neo4j = start_neo4j()
    except Neo4jUnavailable as error:
        print(error, file=sys.stderr)
        return 1
    with neo4j:
        print(f"Neo4j ready in {neo4j.ready_seconds:.1f} s at {neo4j.uri} (home {neo4j.home}, no authentication)")
        rss = rss_megabytes(neo4j.process.pid)
        if rss is not None:
            print(f"JVM resident memory: {rss:.0f} MiB")
        print(f"Use it with: POLICYKG_BACKEND=neo4j POLICYKG_NEO4J_URI={neo4j.uri} policykg ...")
        print("Press Ctrl-C to stop.", flush=True)
        try:
            neo4j.process.wait()
        except KeyboardInterrupt:
            print("Stopping Neo4j ...", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
