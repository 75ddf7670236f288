// /docs: the Engage API's interactive reference (Scalar), over this server's own
// /v1/openapi.json, with "try it" sending requests straight to this server. Everything it loads
// is served by the app: the bundle (/docs/assets/scalar.js), no web fonts, no request proxy, no
// telemetry. Public, like the document: it shows no data, and a key is typed by the reader.
import { scalarVersion } from "./scalar-version";

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

// Scalar's colours where they miss WCAG AA contrast (4.5:1) on its default theme.
const CONTRAST_CSS = `
.light-mode {
  --scalar-color-2: #545454 !important; --scalar-color-3: #5e5e5e !important;
  --scalar-color-blue: #005f9e !important; --scalar-color-green: #006840 !important;
  --scalar-color-orange: #9a4600 !important; --scalar-color-red: #b8001c !important;
  --scalar-color-purple: #6330bf !important; --scalar-color-yellow: #735600 !important;
  --scalar-color-accent: #005f9e !important;
  --scalar-sidebar-color-2: #545454 !important; --scalar-sidebar-search-color: #5e5e5e !important;
}
.dark-mode {
  --scalar-color-2: #c4c4c4 !important; --scalar-color-3: #b0b0b0 !important;
  --scalar-sidebar-color-2: #c4c4c4 !important; --scalar-sidebar-search-color: #b0b0b0 !important;
}`;

// Runs before the bundle. (1) The CSP refuses eval; zod, inside Scalar, probes for it with
// `new Function("")` to choose its fast path, which the browser reports as a violation: the
// probe gets the CSP's answer (an EvalError) without one. (2) Names and roles Scalar's markup
// leaves out, so a screen reader can use the page: icon-only buttons get a label, sidebar buttons
// lose aria-selected (not allowed on a button; the current one gets aria-current), stray buttons
// in a tablist become tabs, the code editor gets a name.
const BEFORE_SCALAR = `
(function () {
  window.Function = new Proxy(window.Function, {
    construct: function () { throw new EvalError("eval is refused by this page's Content-Security-Policy"); },
  });
  function repair(root) {
    root.querySelectorAll("button[aria-selected]:not([role])").forEach(function (b) {
      if (b.getAttribute("aria-selected") === "true") b.setAttribute("aria-current", "true");
      b.removeAttribute("aria-selected");
    });
    root.querySelectorAll("button:not([aria-label]):not([aria-labelledby])").forEach(function (b) {
      var copy = /copy/i.test(b.className);
      if (b.getAttribute("role") !== "search" && !copy && (b.innerText || "").trim()) return;
      b.setAttribute("aria-label", b.getAttribute("role") === "search" ? "Search the reference (Ctrl+K)"
        : b.hasAttribute("aria-pressed") ? "Dark mode"
        : copy ? "Copy code"
        : b.getAttribute("title") || "More options");
    });
    root.querySelectorAll('[role="tablist"] button:not([role])').forEach(function (b) { b.setAttribute("role", "tab"); });
    root.querySelectorAll('.cm-content[role="textbox"]:not([aria-label])').forEach(function (e) { e.setAttribute("aria-label", "Code"); });
  }
  new MutationObserver(function () { repair(document); }).observe(document.documentElement, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["aria-selected", "role"],
  });
})();`;

// Scalar's configuration. `servers` is filled in the browser with this page's own origin.
const CONFIGURATION = {
  url: "/v1/openapi.json",
  title: "Engage API",
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  showDeveloperTools: "never",
  showToolbar: "never",
  // Each operation shows its schemas; the separate models list adds nothing but nested buttons.
  hideModels: true,
  customCss: CONTRAST_CSS,
  documentDownloadType: "json",
  hideDarkModeToggle: false,
  // Every operation on the page: readable top to bottom, and found with the browser's own search.
  defaultOpenAllTags: true,
  persistAuth: false,
  authentication: { preferredSecurityScheme: "ApiKey", securitySchemes: { ApiKey: { value: "" } } },
  metaData: { title: "Engage API reference" },
};

export function GET(request: Request): Response {
  // proxy.ts sets the CSP with this nonce; our two scripts carry it.
  const nonce = escapeHtml(request.headers.get("x-nonce") ?? "");
  const config = JSON.stringify(CONFIGURATION).replace(/</g, "\\u003c");
  const html = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Engage API reference</title>
    <meta name="description" content="The Engage API's reference: every endpoint, its parameters, bodies and responses, with the guide's examples. Try requests against this server." />
    <link rel="icon" href="/icon.svg" type="image/svg+xml" />
  </head>
  <body>
    <noscript>
      <main>
        <h1>Engage API reference</h1>
        <p>This reference needs JavaScript. The OpenAPI document is at <a href="/v1/openapi.json">/v1/openapi.json</a>.</p>
      </main>
    </noscript>
    <div id="app"></div>
    <script nonce="${nonce}">${BEFORE_SCALAR}</script>
    <script nonce="${nonce}" src="/docs/assets/scalar.js?v=${encodeURIComponent(scalarVersion())}"></script>
    <script nonce="${nonce}">
      Scalar.createApiReference("#app", Object.assign(${config}, {
        servers: [{ url: window.location.origin + "/v1", description: "This server" }],
      }));
    </script>
  </body>
</html>
`;
  return new Response(html, {
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}
