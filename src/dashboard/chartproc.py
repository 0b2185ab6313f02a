"""The chart renderer's own process: vl-convert runs here, never in the app's process.

vl-convert is native code; some inputs make it panic ("thread caused non-unwinding panic.
aborting."), which aborts the whole process. Run as `python -m dashboard.chartproc` (export.py
starts it once per export, for all of the export's charts), such a crash costs one export – a
Swedish error, export.ExportError – not the Streamlit server or the CLI.

Protocol: stdin is JSON {"scale": float, "specs": [vega-lite spec, …]}; stdout is, per spec, an
8-byte big-endian length and the PNG bytes.
"""

from __future__ import annotations

import json
import sys


def main() -> int:
    import vl_convert as vlc

    job = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    out = sys.stdout.buffer
    for spec in job["specs"]:
        png = vlc.vegalite_to_png(json.dumps(spec), scale=float(job.get("scale", 2.0)))
        out.write(len(png).to_bytes(8, "big"))
        out.write(png)
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
