"""Ctrl-C stops a long run at once with KeyboardInterrupt (the work runs off the
interpreter, which keeps checking for signals while it waits)."""

import signal
import subprocess
import sys
import textwrap
import time

from conftest import REPO

# A grid city of 600 × 600 blocks and 300,000 residents: seconds of work, so the signal
# arrives while the study runs.
SCRIPT = textwrap.dedent(
    """
    import json, signal, sys, time
    import lifecircle
    # A shell that starts the tests in the background ignores SIGINT in its children;
    # Python then keeps ignoring it. Ctrl-C in a terminal raises KeyboardInterrupt.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    n = 600
    step = 0.0005
    lines = []
    for i in range(n + 1):
        row = [[j * step, i * step] for j in range(n + 1)]
        col = [[i * step, j * step] for j in range(n + 1)]
        for coords in (row, col):
            lines.append({"type": "Feature", "properties": {"highway": "footway"},
                          "geometry": {"type": "LineString", "coordinates": coords}})
    roads = json.dumps({"type": "FeatureCollection", "features": lines}).encode()
    people = "id,lon,lat\\n" + "".join(
        f"p{k},{(k % 547) * step * 1.09 + 0.0001},{(k // 547) * step * 1.09 + 0.0001}\\n" for k in range(300_000)
    )
    centers = "id,lon,lat\\nc,0.15,0.15\\n"
    print("ready", flush=True)
    start = time.monotonic()
    try:
        lifecircle.Study(roads, centers.encode(), people.encode(), progress=lambda s: print(s, flush=True))
    except KeyboardInterrupt:
        print(f"interrupted after {time.monotonic() - start:.2f} s", flush=True)
        sys.exit(0)
    print(f"finished after {time.monotonic() - start:.2f} s", flush=True)
    """
)


def test_ctrl_c_interrupts_a_running_study():
    child = subprocess.Popen([sys.executable, "-c", SCRIPT], cwd=REPO, stdout=subprocess.PIPE, text=True)
    lines = []
    for line in child.stdout:
        lines.append(line.strip())
        if line.startswith("reading inputs"):
            time.sleep(0.2)
            child.send_signal(signal.SIGINT)
            break
    rest, _ = child.communicate(timeout=120)
    lines += rest.splitlines()
    output = "\n".join(lines)
    assert child.returncode == 0, output
    assert "interrupted after" in output, output
    assert "finished" not in output, output
