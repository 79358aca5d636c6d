"""Does the ZIP of an event's materials stream at flat memory?

Run:  .venv/bin/python benchmarks/materials_zip.py [--files 500] [--total-gb 2] [--runs 3]

Makes `files` sparse files of `total-gb` together in a temporary folder under var/ (deleted at
the end), then runs each way of sending them in its own process and reports that process's peak
resident memory (ru_maxrss) and time:
  - baseline: Python with Django and the ZIP module imported, nothing read (what any run holds);
  - read:     every file read in 1 MiB blocks and dropped (the floor: the bytes must be read);
  - zipfile:  the standard zipfile writing to /dev/null, seekable, one `write()` per file;
  - stream:   timetable.bundles.stream_zip, the blocks written to /dev/null as they come;
  - response: the same inside Django's StreamingHttpResponse, iterated as a WSGI server does.
Each line is the median of the runs with the spread (min-max); the memory above the baseline is
what a download costs.
"""

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODES = ["baseline", "read", "zipfile", "stream", "response"]


def _members(folder: Path):
    from escape_events.timetable.bundles import Member

    moment = datetime(2026, 12, 7, tzinfo=UTC)
    return [
        Member(f"Entry {index // 10}/{path.name}", path.stat().st_size, moment,
               lambda path=path: path.open("rb"))
        for index, path in enumerate(sorted(folder.iterdir()))
    ]  # fmt: skip


def child(mode: str, folder: Path) -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "escape_events.settings")
    import django

    django.setup()
    from django.http import StreamingHttpResponse

    from escape_events.timetable.bundles import BLOCK, stream_zip

    started = time.perf_counter()
    sent = 0
    if mode == "read":
        for path in sorted(folder.iterdir()):
            with path.open("rb") as source:
                while block := source.read(BLOCK):
                    sent += len(block)
    elif mode == "zipfile":
        with zipfile.ZipFile(os.devnull, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
            for member in _members(folder):
                archive.write(folder / member.path.rsplit("/", 1)[-1], member.path)
                sent += member.size
    elif mode in ("stream", "response"):
        chunks = stream_zip(_members(folder))
        if mode == "response":
            chunks = StreamingHttpResponse(chunks, content_type="application/zip")
        with open(os.devnull, "wb") as sink:
            for chunk in chunks:
                sink.write(chunk)
                sent += len(chunk)
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"mode": mode, "peak_mib": peak_kib / 1024, "seconds": seconds, "bytes": sent}


def make_files(folder: Path, count: int, total: int) -> None:
    """Sparse files (holes read back as zeros): the disk keeps nothing, the reads are real."""
    size = total // count
    for number in range(count):
        with (folder / f"material-{number:03d}.pdf").open("wb") as handle:
            handle.write(b"%PDF-1.7\n")
            handle.truncate(size)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--total-gb", type=float, default=2.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", choices=MODES)
    parser.add_argument("--folder", type=Path)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.folder)))
        return
    (ROOT / "var").mkdir(exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="materials-zip-", dir=ROOT / "var"))
    try:
        make_files(folder, args.files, int(args.total_gb * 1024**3))
        results: dict[str, list[dict]] = {mode: [] for mode in MODES}
        for _ in range(args.runs):
            for mode in MODES:
                output = subprocess.run(
                    [sys.executable, __file__, "--child", mode, "--folder", str(folder)],
                    check=True, capture_output=True, text=True,
                ).stdout  # fmt: skip
                results[mode].append(json.loads(output.strip().splitlines()[-1]))
    finally:
        shutil.rmtree(folder)
    base = statistics.median(run["peak_mib"] for run in results["baseline"])
    print(f"{args.files} files, {args.total_gb:g} GiB in all, {args.runs} runs each")
    print(f"{'mode':<10} {'peak RSS MiB':>22} {'above baseline':>15} {'seconds':>18} {'MB/s':>7}")
    for mode, runs in results.items():
        peaks = [run["peak_mib"] for run in runs]
        seconds = [run["seconds"] for run in runs]
        rate = runs[0]["bytes"] / 1e6 / statistics.median(seconds) if runs[0]["bytes"] else 0
        print(
            f"{mode:<10} {statistics.median(peaks):>8.1f} ({min(peaks):.1f}-{max(peaks):.1f})"
            f" {statistics.median(peaks) - base:>15.1f}"
            f" {statistics.median(seconds):>7.2f} ({min(seconds):.2f}-{max(seconds):.2f})"
            f" {rate:>7.0f}"
        )


if __name__ == "__main__":
    main()
