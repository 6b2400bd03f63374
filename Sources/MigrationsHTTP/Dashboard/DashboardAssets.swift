/// The dashboard's stylesheet and script, served from the library itself (`<dashboard>/assets/…`): no CDN,
/// no build step, and the page works offline.
///
/// The Content-Security-Policy allows scripts and styles from the dashboard's own origin only, so neither
/// is inline.
enum DashboardAssets {
    /// Readable at 1280 px and at phone width (tables become one card per row), in light and dark.
    static let stylesheet = """
        :root {
          color-scheme: light dark;
          --bg: #ffffff; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --panel: #f6f8fa;
          --accent: #0b5cad; --ok: #1a7f37; --bad: #b42318; --warn: #9a6700; --run: #0b5cad;
        }
        @media (prefers-color-scheme: dark) {
          :root {
            --bg: #0d1117; --fg: #e6edf3; --muted: #9da7b3; --line: #30363d; --panel: #161b22;
            --accent: #58a6ff; --ok: #3fb950; --bad: #f85149; --warn: #d29922; --run: #58a6ff;
          }
        }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--bg); color: var(--fg);
          font: 15px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
        header.top { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap;
          padding: .6rem 1.2rem; border-bottom: 1px solid var(--line); background: var(--panel); }
        .brand { font-weight: 700; color: var(--fg); text-decoration: none; margin-right: auto; }
        .who { color: var(--muted); }
        main { padding: 1rem 1.2rem 3rem; max-width: 1400px; margin: 0 auto; }
        h1 { font-size: 1.5rem; margin: .4rem 0 .8rem; overflow-wrap: anywhere; }
        h2 { font-size: 1.15rem; margin-top: 1.8rem; }
        a { color: var(--accent); }
        table { width: 100%; border-collapse: collapse; }
        caption { text-align: left; color: var(--muted); padding: .3rem 0; }
        th, td { text-align: left; vertical-align: top; padding: .55rem .5rem; border-bottom: 1px solid var(--line); }
        th { font-size: .85rem; color: var(--muted); font-weight: 600; }
        .name { font-family: ui-monospace, "DejaVu Sans Mono", monospace; overflow-wrap: anywhere; }
        .description, .progress-text, .holder, .shards, .control, .summary, .hint { color: var(--muted); font-size: .9rem; }
        .error { color: var(--bad); font-size: .9rem; overflow-wrap: anywhere; }
        .badge { display: inline-block; padding: .05rem .5rem; border-radius: 1rem; border: 1px solid currentColor;
          font-size: .85rem; font-weight: 600; white-space: nowrap; }
        .badge-completed { color: var(--ok); }
        .badge-failed, .badge-unknown { color: var(--bad); }
        .badge-running { color: var(--run); }
        .badge-paused, .badge-cancelled, .badge-rolled-back { color: var(--warn); }
        .badge-pending { color: var(--muted); }
        progress { width: 12rem; max-width: 100%; height: .9rem; vertical-align: middle; accent-color: var(--run); }
        .percent { font-variant-numeric: tabular-nums; font-weight: 600; }
        .button, button { display: inline-block; font: inherit; font-size: .85rem; padding: .25rem .7rem; margin: .1rem 0;
          border: 1px solid var(--accent); border-radius: .35rem; color: var(--accent); background: transparent;
          text-decoration: none; cursor: pointer; }
        .button:hover, button:hover { background: var(--panel); }
        .destructive { border-color: var(--bad); color: var(--bad); }
        .secondary { border-color: var(--line); color: var(--fg); }
        button.link { border: none; text-decoration: underline; padding: 0; color: var(--accent); }
        form.inline { display: inline; }
        .notice { border: 1px solid var(--ok); border-left-width: .4rem; padding: .6rem .8rem; background: var(--panel);
          overflow-wrap: anywhere; }
        .notice-error { border-color: var(--bad); }
        .destructive-zone { border: 2px solid var(--bad); border-radius: .5rem; padding: 1rem; }
        .warning { color: var(--bad); }
        .confirm, .login { max-width: 44rem; }
        input { font: inherit; padding: .35rem .5rem; width: 100%; max-width: 28rem; display: block; margin: .3rem 0 .6rem;
          border: 1px solid var(--line); border-radius: .35rem; background: var(--bg); color: var(--fg); }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1rem; }
        dl.facts dt { color: var(--muted); }
        dl.facts dd { margin: 0; overflow-wrap: anywhere; }
        pre.value { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--panel); padding: .5rem;
          border-radius: .35rem; margin: 0; max-height: 16rem; overflow: auto; font-size: .85rem; }
        .live-status { font-style: italic; }
        @media (max-width: 760px) {
          main { padding: .8rem; }
          table thead { position: absolute; left: -9999px; }
          table, caption, tbody, tr, td { display: block; width: 100%; }
          tr { border: 1px solid var(--line); border-radius: .5rem; margin-bottom: .8rem; padding: .3rem .6rem; }
          td { border: none; padding: .3rem 0; }
          td::before { content: attr(data-label); display: block; font-size: .75rem; color: var(--muted); }
          progress { width: 100%; }
        }
        """

    /// Live updates: the events stream tells when a migration changed; the script then fetches the page
    /// again and swaps its live part (`#live`) in, so the server renders, and escapes, every value. At most
    /// one fetch a second. Without JavaScript, `<noscript>` refreshes the page every five seconds.
    static let script = """
        "use strict";
        (() => {
          const url = document.body.dataset.events;
          const status = document.getElementById("live-status");
          if (!url || !window.EventSource || !window.fetch || !window.DOMParser) { return; }
          const say = (text) => { if (status) { status.textContent = text; } };
          let fetching = false;
          let again = false;
          let last = 0;
          const seen = new Map();

          const refresh = async () => {
            if (fetching) { again = true; return; }
            const wait = Math.max(0, last + 1000 - Date.now());
            fetching = true;
            await new Promise((resolve) => setTimeout(resolve, wait));
            try {
              const answer = await fetch(window.location.href, {
                credentials: "same-origin", headers: { "Accept": "text/html" }, redirect: "manual" });
              if (answer.type === "opaqueredirect" || answer.status === 401) {
                window.location.reload();
                return;
              }
              if (answer.ok) {
                const page = new DOMParser().parseFromString(await answer.text(), "text/html");
                const fresh = page.getElementById("live");
                const current = document.getElementById("live");
                if (fresh && current) { current.replaceWith(document.importNode(fresh, true)); }
                say("live");
              } else {
                say("live updates: the page answered " + answer.status);
              }
            } catch (error) {
              say("live updates paused: " + error);
            } finally {
              last = Date.now();
              fetching = false;
              if (again) { again = false; refresh(); }
            }
          };

          const source = new EventSource(url);
          source.addEventListener("open", () => say("live"));
          source.addEventListener("status", (event) => {
            let row;
            try { row = JSON.parse(event.data); } catch (error) { return; }
            const key = String(row.position !== undefined ? row.position : row.name);
            const previous = seen.get(key);
            seen.set(key, event.data);
            if (previous === undefined) {
              const shown = document.querySelector('[data-position="' + CSS.escape(key) + '"]');
              const control = row.control ? row.control.action : "";
              if (!shown || shown.dataset.state === row.state && shown.dataset.control === control
                  && row.state !== "running") { return; }
            }
            refresh();
          });
          source.addEventListener("error", () => say("live updates reconnecting…"));
        })();
        """
}
