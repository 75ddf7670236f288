// scripts/mail-sink.mjs, run as other helpers' Playwright configs run it (`node`): it receives
// real SMTP, answers GET / for readiness, lists the parsed messages and forgets them on DELETE.
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, expect, test } from "vitest";

let child: ChildProcess;
let smtpPort: number;
let httpPort: number;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  [smtpPort, httpPort] = [await freePort(), await freePort()];
  child = spawn(process.execPath, ["scripts/mail-sink.mjs"], {
    env: { ...process.env, MAIL_SINK_SMTP_PORT: String(smtpPort), MAIL_SINK_HTTP_PORT: String(httpPort) },
    stdio: "pipe",
  });
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${httpPort}/`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error("the mail sink did not start");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
});
afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
});

test("keeps what it receives over SMTP, parsed, until DELETE /messages", async () => {
  const transport = nodemailer.createTransport({ url: `smtp://127.0.0.1:${smtpPort}` });
  await transport.sendMail({
    from: "Offers <offers@example.com>",
    to: "Ada <ada@example.com>",
    subject: "$5.00 off",
    text: "Use code K7M2P9QX",
    html: "<p>Use code <b>K7M2P9QX</b></p>",
    headers: { "List-Unsubscribe": "<https://console.example.test/api/unsubscribe?token=1.x>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
  });
  transport.close();

  const messages = (await (await fetch(`http://127.0.0.1:${httpPort}/messages`)).json()) as {
    from: string;
    to: string[];
    subject: string;
    text: string;
    html: string;
    headers: Record<string, string>;
  }[];
  expect(messages).toHaveLength(1);
  expect(messages[0]).toMatchObject({ from: "offers@example.com", to: ["ada@example.com"], subject: "$5.00 off", text: "Use code K7M2P9QX" });
  expect(messages[0].html).toContain("<b>K7M2P9QX</b>");
  expect(messages[0].headers["list-unsubscribe"]).toBe("<https://console.example.test/api/unsubscribe?token=1.x>");
  expect(messages[0].headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");

  expect((await fetch(`http://127.0.0.1:${httpPort}/messages`, { method: "DELETE" })).status).toBe(200);
  expect(await (await fetch(`http://127.0.0.1:${httpPort}/messages`)).json()).toEqual([]);
  expect((await fetch(`http://127.0.0.1:${httpPort}/nothing`)).status).toBe(404);
});
