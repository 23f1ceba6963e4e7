/// The report's inline stylesheet: plain, printable, readable without colour (every colour has a text label).
extension HTMLWriter {
    /// CSS for the `<style>` element. It holds no `<` or `&`, so the document stays well-formed XML.
    static let stylesheet = """
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1b1b;
               max-width: 1280px; margin: 0 auto; padding: 1.25rem; }
        h1 { font-size: 1.35rem; margin: 0 0 .35rem; }
        h2 { font-size: 1.1rem; margin: 1.75rem 0 .5rem; padding-bottom: .2rem; border-bottom: 1px solid #ccc; }
        h3 { font-size: 1rem; margin: 1.25rem 0 .35rem; }
        p { margin: .3rem 0; }
        table { border-collapse: collapse; margin: .25rem 0 1rem; }
        table.cases, table.areas { width: 100%; }
        th, td { border: 1px solid #d4d4d4; padding: .2rem .45rem; text-align: left; vertical-align: top; }
        thead th, tfoot th, tfoot td { background: #f2f2f2; }
        table.kv th { font-weight: normal; color: #555; white-space: nowrap; }
        .n { text-align: right; font-variant-numeric: tabular-nums; }
        .z { color: #bbb; }
        .muted { color: #666; }
        .sub { color: #555; font-size: 12px; margin-top: .15rem; }
        code, .pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
        code { overflow-wrap: anywhere; }
        .pre { white-space: pre-wrap; overflow-wrap: anywhere; max-width: 32rem; }
        .banner { border: 1px solid #999; border-left-width: 8px; padding: .6rem 1rem; background: #f6f6f6; }
        .v-conformant { border-color: #2e7d32; background: #eef6ee; }
        .v-nonconformant { border-color: #c62828; background: #fbeeee; }
        .v-incomplete { border-color: #a86400; background: #fcf4e6; }
        .verdict { text-transform: uppercase; letter-spacing: .04em; }
        .d, .o { font-weight: 600; }
        .d-conformant, .o-pass { color: #2e7d32; }
        .d-nonconformant, .o-fail, .o-crash, .o-timeout, .o-xpass { color: #c62828; }
        .d-incomplete, .o-error, .o-other { color: #a86400; }
        .o-unsupported, .o-skipped, .o-xfail { color: #555; }
        details summary { cursor: pointer; font-weight: 600; margin: .25rem 0; }
        td details summary { font-weight: normal; color: #333; }
        details.group { margin: .5rem 0; }
        details.group > summary { font-size: 1rem; }
        pre.hex { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px;
                  margin: .2rem 0; white-space: pre; }
        mark { background: #ffd54f; }
        a.id { text-decoration: none; color: inherit; }
        tr.case:target { outline: 2px solid #1565c0; }
        .filter { position: sticky; top: 0; background: #fff; padding: .4rem 0; border-bottom: 1px solid #ddd; }
        .filter input { width: 28rem; max-width: 70%; font: inherit; padding: .15rem .35rem; }
        footer { margin-top: 2rem; color: #666; font-size: 12px; }

        """
}

extension HTMLWriter {
    /// The filter box: hides case rows whose text does not contain the query (case-insensitive), hides groups left
    /// empty, opens groups with a hit; `?filter=TEXT` fills it on load. Opening `#<case id>` unfolds the case's group.
    /// No `<` or `&`, so the document stays well-formed XML.
    static let script = """
        (function () {
          var box = document.getElementById("filter");
          var shown = document.getElementById("shown");
          var rows = Array.prototype.slice.call(document.querySelectorAll("tr.case"));
          var groups = Array.prototype.slice.call(document.querySelectorAll("details.group"));
          function apply() {
            var q = box.value.trim().toLowerCase();
            var hits = 0;
            rows.forEach(function (row) {
              var hit = q === "" || row.textContent.toLowerCase().indexOf(q) !== -1;
              row.hidden = !hit;
              if (hit) { hits += 1; }
            });
            groups.forEach(function (g) {
              var any = g.querySelector("tr.case:not([hidden])") !== null;
              g.hidden = !any;
              if (q !== "" ? any : false) { g.open = true; }
            });
            shown.textContent = q === "" ? rows.length + " cases" : hits + " of " + rows.length + " cases match";
          }
          function reveal() {
            var id = decodeURIComponent(location.hash.slice(1));
            var el = id === "" ? null : document.getElementById(id);
            for (var d = el ? el.closest("details") : null; d; d = d.parentElement.closest("details")) { d.open = true; }
            if (el) { el.scrollIntoView(); }
          }
          box.addEventListener("input", apply);
          window.addEventListener("hashchange", reveal);
          var initial = new URLSearchParams(location.search).get("filter");
          if (initial) { box.value = initial; apply(); }
          reveal();
        })();

        """
}
