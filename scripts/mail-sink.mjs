// A local mail sink for end-to-end tests: an SMTP server (smtp-server) that keeps every
// message it receives, parsed with mailparser, and an HTTP server to read them back.
//   MAIL_SINK_SMTP_PORT=2525 MAIL_SINK_HTTP_PORT=2526 node scripts/mail-sink.mjs
//   GET /          200 (readiness, for Playwright's webServer)
//   GET /messages  [{from, to, subject, text, html, headers}], oldest first
//   DELETE /messages  forgets them
// Point the app at it with SMTP_URL=smtp://127.0.0.1:2525. It listens on 127.0.0.1 only.
import http from "node:http";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

const smtpPort = Number(process.env.MAIL_SINK_SMTP_PORT ?? 2525);
const httpPort = Number(process.env.MAIL_SINK_HTTP_PORT ?? 2526);
const MAX_MESSAGES = 1000;

/** @type {{from: string, to: string[], subject: string, text: string, html: string, headers: Record<string, string>, receivedAt: string}[]} */
let messages = [];

const addresses = (field) => (field ? (Array.isArray(field) ? field : [field]).flatMap((a) => a.value.map((v) => v.address ?? "")) : []);

const smtp = new SMTPServer({
  authOptional: true,
  // Plain SMTP on loopback: no certificate to trust.
  disabledCommands: ["STARTTLS"],
  logger: false,
  size: 10 * 1024 * 1024,
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((mail) => {
        const headers = {};
        for (const line of mail.headerLines) headers[line.key] = line.line.slice(line.line.indexOf(":") + 1).trim();
        messages.push({
          from: mail.from?.value[0]?.address ?? "",
          to: addresses(mail.to),
          envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          subject: mail.subject ?? "",
          text: mail.text ?? "",
          html: typeof mail.html === "string" ? mail.html : "",
          headers,
          receivedAt: new Date().toISOString(),
        });
        if (messages.length > MAX_MESSAGES) messages = messages.slice(-MAX_MESSAGES);
        callback();
      })
      .catch(callback);
  },
});

const web = http.createServer((req, res) => {
  const path = new URL(req.url ?? "/", "http://sink").pathname;
  const json = (status, body) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
    res.end(JSON.stringify(body));
  };
  if (path === "/" && req.method === "GET") return json(200, { ok: true, smtpPort, messages: messages.length });
  if (path === "/messages" && req.method === "GET") return json(200, messages);
  if (path === "/messages" && req.method === "DELETE") {
    messages = [];
    return json(200, { deleted: true });
  }
  json(404, { error: "not found" });
});

smtp.listen(smtpPort, "127.0.0.1", () => {
  web.listen(httpPort, "127.0.0.1", () => {
    console.log(`[mail-sink] SMTP on 127.0.0.1:${smtpPort}, messages at http://127.0.0.1:${httpPort}/messages`);
  });
});

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    web.close();
    smtp.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 1000).unref();
  });
}
