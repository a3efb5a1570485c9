#!/usr/bin/env python3
"""Serves a built leaktriage directory on 127.0.0.1 at a free port (or --port), sending the same
Content-Security-Policy the page carries as a header too (as a production host should).

Usage: serve.py DIR [--port N] [--port-file FILE]
Prints the URL; with --port-file, also writes the port there (the browser tests use it).
"""
import argparse
import functools
import http.server
import os
import re
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    csp = ""

    def end_headers(self):
        if self.csp:
            self.send_header("Content-Security-Policy", self.csp)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, fmt, *args):
        if os.environ.get("LEAKTRIAGE_SERVE_LOG"):
            super().log_message(fmt, *args)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    a = ap.parse_args()
    headers = os.path.join(a.dir, "_headers")
    if os.path.exists(headers):
        m = re.search(r"Content-Security-Policy: (.*)", open(headers).read())
        Handler.csp = m.group(1).strip() if m else ""
    handler = functools.partial(Handler, directory=a.dir)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", a.port), handler)
    port = httpd.server_address[1]
    if a.port_file:
        with open(a.port_file, "w") as f:
            f.write(str(port))
    print("leaktriage is served at http://127.0.0.1:%d/  (Ctrl-C to stop)" % port, flush=True)
    print("single-file build: http://127.0.0.1:%d/leaktriage-standalone.html" % port, flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
