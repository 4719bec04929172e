"""Open a ``kg viz`` page in headless Chromium: no console errors, no network requests, every node drawn.

Drives Chromium over the DevTools protocol (``websocket-client``), so it needs no Selenium driver:

    python scripts/check_viz.py view.html [--expect-nodes N] [--screenshot view.png]

The number of nodes expected is read from the page (``<meta name="kg-node-count">``) unless given. Exit
status 0 when the page is clean, 1 otherwise; the figures are printed as JSON.
Needs Debian's ``chromium`` (``apt-get install -y chromium``) and ``pip install websocket-client``.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=1280,900"]

# Everything the page draws, read from the vis.js network object and the canvas.
_PROBE = """(() => {
  const v = window.kgView;
  if (!v) return JSON.stringify({ready: false});
  const net = v.network;
  const pos = net.getPositions();
  const finite = Object.values(pos).filter(p => Number.isFinite(p.x) && Number.isFinite(p.y)).length;
  const canvas = document.querySelector('#kg-network canvas');
  let painted = 0;
  if (canvas) {
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
  }
  return JSON.stringify({ready: true, stabilized: v.stabilized, expected: v.expected,
    dataset_nodes: v.nodes.length, dataset_edges: v.edges.length,
    drawn_nodes: net.body.nodeIndices.length, drawn_edges: net.body.edgeIndices.length,
    positioned_nodes: finite, painted_pixels: painted,
    canvas: canvas ? [canvas.width, canvas.height] : null});
})()"""


def find_chromium(explicit: str | None = None) -> str | None:
    for candidate in (explicit, os.environ.get("KG_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if candidate and (path := shutil.which(candidate)):
            return path
    return None


class _Tab:
    """A tiny synchronous DevTools-protocol client: commands get answers, events are kept."""

    def __init__(self, ws_url: str, timeout: float) -> None:
        import websocket  # websocket-client

        self.ws = websocket.create_connection(ws_url, timeout=timeout, suppress_origin=True)
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        my_id = self.next_id
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == my_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def wait_event(self, name: str, timeout: float) -> bool:
        import websocket

        if any(e["method"] == name for e in self.events):
            return True
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.ws.settimeout(max(end - time.monotonic(), 0.1))
            try:
                message = json.loads(self.ws.recv())
            except websocket.WebSocketTimeoutException:
                break
            if "method" in message:
                self.events.append(message)
                if message["method"] == name:
                    return True
        return False

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def close(self) -> None:
        self.ws.close()


def _devtools_port(profile: Path, proc: subprocess.Popen, timeout: float) -> int:
    marker = profile / "DevToolsActivePort"
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"chromium exited with status {proc.returncode}")
        if marker.exists():
            text = marker.read_text().split()
            if text:
                return int(text[0])
        time.sleep(0.1)
    raise RuntimeError("chromium did not open its DevTools port")


def _problems(events: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    errors, requests = [], []
    for event in events:
        method, params = event["method"], event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in {"error", "assert"}:
            errors.append("console: " + " ".join(str(a.get("value", a.get("description", "")))
                                                 for a in params.get("args", [])))
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            errors.append("exception: " + str(details.get("exception", {}).get("description") or details.get("text")))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            errors.append(f"log ({entry.get('source')}): {entry.get('text')} {entry.get('url', '')}".strip())
        elif method == "Network.requestWillBeSent":
            url = params.get("request", {}).get("url", "")
            if not url.startswith(("file:", "data:", "blob:", "about:")):
                requests.append(url)
    return errors, requests


def check_view(html_path: str | Path, expect_nodes: int | None = None, screenshot: str | Path | None = None,
               chromium: str | None = None, timeout: float = 60.0) -> dict[str, Any]:
    """Load the page in headless Chromium and return what it drew, its console errors and network requests.

    ``ok`` is true when there are no errors and no requests, the layout finished, the canvas is painted and
    the drawn, positioned and expected node counts all agree.
    """
    page = Path(html_path).resolve()
    text = page.read_text(encoding="utf-8")
    if expect_nodes is None:
        found = re.search(r'<meta name="kg-node-count" content="(\d+)"', text)
        expect_nodes = int(found.group(1)) if found else None
    binary = find_chromium(chromium)
    if binary is None:
        raise RuntimeError("chromium not found: apt-get install -y chromium (or set KG_CHROMIUM)")
    profile = Path(tempfile.mkdtemp(prefix="kg-chromium-"))
    proc = subprocess.Popen([binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0",
                             "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    tab = None
    try:
        port = _devtools_port(profile, proc, timeout)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=timeout) as response:
            targets = json.load(response)
        ws_url = next(t["webSocketDebuggerUrl"] for t in targets if t.get("type") == "page")
        tab = _Tab(ws_url, timeout)
        for domain in ("Runtime", "Log", "Page", "Network"):
            tab.send(f"{domain}.enable")
        started = time.monotonic()
        tab.send("Page.navigate", url=page.as_uri())
        loaded = tab.wait_event("Page.loadEventFired", timeout)
        probe: dict[str, Any] = {"ready": False}
        while time.monotonic() - started < timeout:
            probe = json.loads(tab.evaluate(_PROBE) or "{}")
            if probe.get("ready") and probe.get("stabilized"):
                break
            time.sleep(0.2)
        seconds = time.monotonic() - started
        time.sleep(0.3)  # let late console messages arrive
        tab.evaluate("1")
        errors, requests = _problems(tab.events)
        shot = None
        if screenshot is not None:
            data = tab.send("Page.captureScreenshot", format="png")["data"]
            shot = Path(screenshot)
            shot.parent.mkdir(parents=True, exist_ok=True)
            shot.write_bytes(base64.b64decode(data))
    finally:
        if tab is not None:
            tab.close()
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(profile, ignore_errors=True)
    result = {"page": str(page), "loaded": loaded, "seconds": round(seconds, 2), "expected_nodes": expect_nodes,
              **{k: v for k, v in probe.items() if k != "ready"}, "ready": probe.get("ready", False),
              "console_errors": errors, "network_requests": requests,
              "screenshot": str(shot) if shot else None}
    drawn = probe.get("drawn_nodes")
    result["ok"] = bool(loaded and probe.get("ready") and probe.get("stabilized") and not errors and not requests
                        and probe.get("painted_pixels", 0) > 0 and drawn == probe.get("positioned_nodes")
                        and (expect_nodes is None or drawn == expect_nodes))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", help="an HTML file written by kg viz")
    parser.add_argument("--expect-nodes", type=int, default=None)
    parser.add_argument("--screenshot", default=None, help="PNG to save the rendered page to")
    parser.add_argument("--chromium", default=None, help="the browser binary (default: chromium on PATH)")
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args(argv)
    result = check_view(args.page, args.expect_nodes, args.screenshot, args.chromium, args.timeout)
    print(json.dumps(result, indent=2))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
