#!/usr/bin/env python3
"""Trunk post-build step: make the built page work under `connect-src 'none'` and from file://.

Trunk's own loader fetches the wasm (blocked by `connect-src 'none'`) and imports an ES module
(blocked on file://). This step replaces it:
  * boot-<hash>.js carries the wasm as base64, compiles it once, starts the app with it, and
    defines leaktriageSpawnWorker(): a blob worker running the same glue and module;
  * index.html loads the no-modules glue and boot.js as plain scripts ('self': no inline script);
  * leaktriage-standalone.html is the whole app in one file: CSS, glue and boot inlined, with
    their sha256 hashes added to the CSP. Its SHA-256 is written beside it.

Runs in $TRUNK_STAGING_DIR (or the directory given as the first argument). Standard library only.
"""
import base64
import glob
import hashlib
import json
import os
import re
import sys

WORKER_BOOT = r"""
var __leaktriageQueue = [];
self.onmessage = function (e) {
  if (e.data && e.data.__leaktriageInit) {
    wasm_bindgen.initSync({ module: e.data.__leaktriageInit });
    wasm_bindgen.start_worker();
    var q = __leaktriageQueue;
    __leaktriageQueue = null;
    for (var i = 0; i < q.length; i++) self.onmessage(q[i]);
  } else if (__leaktriageQueue) {
    __leaktriageQueue.push(e);
  }
};
"""

BOOT = r"""(function () {
  "use strict";
  var WASM = "%(wasm)s";
  var GLUE = %(glue)s;
  var WORKER_BOOT = %(worker)s;
  // The smallest module with a SIMD instruction (v128.const, dropped): it validates only in a
  // browser with WebAssembly SIMD, which the engine is built to use.
  var SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0,
    10, 23, 1, 21, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 26, 11]);
  function fail(e) {
    var el = document.getElementById("boot-status");
    var needs = "";
    try {
      if (!WebAssembly.validate(SIMD_PROBE)) {
        needs = " It needs WebAssembly SIMD, which this browser lacks: Chrome or Edge 91, Firefox 89, Safari 16.4 or later have it.";
      }
    } catch (x) {}
    if (el) { el.textContent = "The analysis engine could not start in this browser: " + e + "." + needs; el.className = "error"; }
  }
  var raw = atob(WASM);
  var bytes = new Uint8Array(raw.length);
  for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  raw = null;
  var compiled = WebAssembly.compile(bytes);
  self.leaktriageSpawnWorker = function () {
    var url = URL.createObjectURL(new Blob([GLUE, "\n", WORKER_BOOT], { type: "text/javascript" }));
    var w = new Worker(url);
    compiled.then(function (m) { w.postMessage({ __leaktriageInit: m }); });
    return w;
  };
  compiled.then(function (m) { return wasm_bindgen({ module_or_path: m }); }).catch(fail);
})();
"""


def sha256_b64(text):
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def one(pattern, where):
    found = glob.glob(os.path.join(where, pattern))
    if len(found) != 1:
        sys.exit("pack.py: expected one %s in %s, found %s" % (pattern, where, found))
    return found[0]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("TRUNK_STAGING_DIR")
    if not out:
        sys.exit("pack.py: give the build directory (or run as a Trunk hook)")
    index = os.path.join(out, "index.html")
    html = open(index, encoding="utf-8").read()
    glue_path = one("leaktriage-web-*.js", out)
    wasm_path = one("leaktriage-web-*_bg.wasm", out)
    css_path = one("app-*.css", out)
    glue = open(glue_path, encoding="utf-8").read()
    wasm = open(wasm_path, "rb").read()
    css = open(css_path, encoding="utf-8").read()

    boot = BOOT % {
        "wasm": base64.b64encode(wasm).decode(),
        "glue": json.dumps(glue),
        "worker": json.dumps(WORKER_BOOT),
    }
    boot_name = "boot-%s.js" % hashlib.sha256(boot.encode()).hexdigest()[:16]
    open(os.path.join(out, boot_name), "w", encoding="utf-8").write(boot)
    os.remove(wasm_path)  # now carried inside boot.js; nothing fetches it

    # Trunk's loader: an inline ES module and preload links (a preload is a fetch).
    html = re.sub(r"<script type=\"module\"[^>]*>.*?</script>\s*", "", html, flags=re.S)
    html = re.sub(r"<link rel=\"(?:modulepreload|preload)\"[^>]*>\s*", "", html)
    if "<script" in html:
        sys.exit("pack.py: an unexpected script is left in index.html")
    glue_name = os.path.basename(glue_path)
    tags = '<script src="./%s"></script>\n<script src="./%s"></script>\n' % (glue_name, boot_name)
    hosted = html.replace("</body>", tags + "</body>")
    open(index, "w", encoding="utf-8").write(hosted)

    # The single file: everything inline, allowed by hash.
    css_name = os.path.basename(css_path)
    single = re.sub(
        r"<link rel=\"stylesheet\" href=\"\./%s\"[^>]*>" % re.escape(css_name),
        lambda _m: "<style>%s</style>" % css,
        html,
    )
    if "<style>" not in single:
        sys.exit("pack.py: the stylesheet link was not found")
    single = single.replace("style-src 'self'", "style-src 'sha256-%s'" % sha256_b64(css))
    single = single.replace(
        "script-src 'self' 'wasm-unsafe-eval'",
        "script-src 'sha256-%s' 'sha256-%s' 'wasm-unsafe-eval'" % (sha256_b64(glue), sha256_b64(boot)),
    )
    single = single.replace("img-src 'self' data: blob:", "img-src data: blob:").replace("font-src 'self'; ", "")
    for d in ("</script", "<!--"):
        if d in glue or d in boot:
            sys.exit("pack.py: a script holds %r and cannot be inlined" % d)
    single = single.replace("</body>", "<script>%s</script>\n<script>%s</script>\n</body>" % (glue, boot))
    single_path = os.path.join(out, "leaktriage-standalone.html")
    open(single_path, "w", encoding="utf-8").write(single)
    digest = hashlib.sha256(single.encode("utf-8")).hexdigest()
    open(single_path + ".sha256", "w").write("%s  leaktriage-standalone.html\n" % digest)

    # For static hosts that read it (Netlify, Cloudflare Pages): the same policy as a header,
    # which can also forbid framing (a <meta> CSP cannot).
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html).group(1)
    open(os.path.join(out, "_headers"), "w").write(
        "/*\n  Content-Security-Policy: %s; frame-ancestors 'none'\n  X-Content-Type-Options: nosniff\n"
        "  Referrer-Policy: no-referrer\n" % csp
    )
    print("pack.py: %s + %s (wasm %d bytes embedded); leaktriage-standalone.html sha256 %s"
          % (glue_name, boot_name, len(wasm), digest))


if __name__ == "__main__":
    main()
