// /docs: the Engage API's interactive reference (Scalar), over this server's own
// /v1/openapi.json, with "try it" sending requests straight to this server. Everything it loads
// is served by the app: the bundle (/docs/assets/scalar.js), no web fonts, no request proxy, no
// telemetry. Public, like the document: it shows no data, and a key is typed by the reader.
import { scalarVersion } from "./scalar-version";

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

// Scalar's configuration. `servers` is filled in the browser with this page's own origin.
const CONFIGURATION = {
  url: "/v1/openapi.json",
  title: "Engage API",
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  showDeveloperTools: "never",
  documentDownloadType: "json",
  hideDarkModeToggle: false,
  defaultOpenAllTags: false,
  persistAuth: false,
  authentication: { preferredSecurityScheme: "ApiKey" },
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
