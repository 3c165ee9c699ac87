"""Parser throughput over the bundled corpus, against one regular-expression scan of the same text.

Standalone: ``.venv/bin/python bench/bench_parse.py [--megabytes 5] [--repeat 3]``.

Two measurements, both over about ``--megabytes`` of UTF-8 text:

* documents: each corpus document parsed on its own, again and again (the real workload);
* one big document: the corpus concatenated to the same size and parsed as one text
  (shows that nothing in the parser grows faster than the text);
* first reading: each corpus document once, in a process that has read nothing yet (the parser
  remembers clause readings and agency resolutions, which documents repeat; this shows the
  cost before any of that is remembered).

The baseline is one ``re.finditer`` pass for bracketed clauses ending in 负责 over the
same text — the least any parser must do — so the ratio says what the rest costs.
Times are process CPU seconds (best of ``--repeat``), so a busy machine does not distort them.
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable
from pathlib import Path

from policykg import _compiled
from policykg.loaders import parse_text
from policykg.loaders.industries import IndustryDictionary
from policykg.loaders.registry import AgencyRegistry

CORPUS = Path(__file__).resolve().parents[1] / "policykg" / "examples"
CLAUSE_SCAN = re.compile(r"[（(][^（）()\n]{0,200}?(?:负责|牵头|单位[:：])[^（）()\n]{0,200}?[）)]")


def best_of(repeat: int, job: Callable[[], int]) -> float:
    """Best CPU time of ``repeat`` runs: CPU time, not wall time, so that other work on a shared
    machine does not count against the parser."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        job()
        times.append(time.process_time() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=5.0, help="How much text to parse (default 5).")
    parser.add_argument("--repeat", type=int, default=3, help="Runs per measurement; the best is kept.")
    args = parser.parse_args()

    documents = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(CORPUS.glob("*.txt"))]
    corpus_bytes = sum(len(text.encode("utf-8")) for _, text in documents)
    copies = max(1, round(args.megabytes * 1024 * 1024 / corpus_bytes))
    total_mb = corpus_bytes * copies / 1024 / 1024
    registry, industries = AgencyRegistry.load_default(), IndustryDictionary.load_default()

    def parse_documents() -> int:
        count = 0
        for _ in range(copies):
            for name, text in documents:
                count += len(parse_text(text, source=name, registry=registry, industries=industries).measures)
        return count

    big = "\n".join(text for _ in range(copies) for _, text in documents)

    def parse_big() -> int:
        return len(parse_text(big, source="big.txt", registry=registry, industries=industries).measures)

    def scan() -> int:
        return sum(1 for _ in CLAUSE_SCAN.finditer(big))

    # The first reading of each document, before any clause or agency name has been seen: the
    # parser remembers those (documents repeat them), so the repeated runs below read warm.
    start = time.process_time()
    for name, text in documents:
        parse_text(text, source=name, registry=registry, industries=industries)
    seconds_first = time.process_time() - start
    measures = parse_documents()
    seconds_docs = best_of(args.repeat, parse_documents)
    seconds_big = best_of(args.repeat, parse_big)
    seconds_scan = best_of(args.repeat, scan)
    compiled = _compiled.running_compiled()
    build = "compiled (mypyc, make install)" if compiled else f"source (compiled build {_compiled.state()})"
    print(f"parser: {build}")
    print(f"corpus: {len(documents)} documents, {corpus_bytes / 1024:.1f} KB, x{copies} = {total_mb:.2f} MB")
    print(f"documents one by one: {total_mb / seconds_docs:.2f} MB/s ({measures} measures in {seconds_docs:.2f} s)")
    print(f"first reading:        {corpus_bytes / 1024 / 1024 / seconds_first:.2f} MB/s (each document once, cold)")
    print(f"one big document:     {total_mb / seconds_big:.2f} MB/s ({parse_big()} measures in {seconds_big:.2f} s)")
    print(f"one regex scan:       {total_mb / seconds_scan:.2f} MB/s ({scan()} clauses in {seconds_scan:.3f} s)")
    ratio_docs, ratio_big = seconds_docs / seconds_scan, seconds_big / seconds_scan
    print(f"parse / regex time:   {ratio_docs:.1f}x (documents), {ratio_big:.1f}x (big)")


if __name__ == "__main__":
    main()
