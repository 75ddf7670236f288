// Local servers standing in for the outside services the notifications talk to, each speaking
// the real protocol: an SMTP server (smtp-server) that parses what it receives, an SMS
// provider in the shape of Twilio's Messages API, and a merchant's webhook receiver that
// verifies the signature as a real one must. For tests only.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function closeHttp(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

export interface SmtpStandIn {
  url: string;
  received: ParsedMail[];
  /** Recipients refused with this SMTP reply code (550: no such mailbox). */
  refuse: Map<string, number>;
  close(): Promise<void>;
}

export async function startSmtpServer(): Promise<SmtpStandIn> {
  const received: ParsedMail[] = [];
  const refuse = new Map<string, number>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      const code = refuse.get(address.address);
      if (code === undefined) return callback();
      const error = new Error(`${address.address}: mailbox unavailable`) as Error & { responseCode: number };
      error.responseCode = code;
      callback(error);
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    refuse,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface SmsRequest {
  To: string | null;
  From: string | null;
  MessagingServiceSid: string | null;
  Body: string;
  sid: string;
}

export interface SmsStandIn {
  baseUrl: string;
  account: string;
  token: string;
  received: SmsRequest[];
  /** Answers to give before accepting again, in order: {status, code, message}. */
  script: { status: number; code: number; message: string }[];
  /** Milliseconds each accepted message takes. */
  delayMs: number;
  /** Requests refused for their credentials. */
  unauthorized: number;
  close(): Promise<void>;
}

/** Twilio's Messages API: POST /2010-04-01/Accounts/{sid}/Messages.json, Basic auth, a form. */
export async function startSmsProvider(): Promise<SmsStandIn> {
  const account = `AC${randomBytes(16).toString("hex")}`;
  const token = randomBytes(16).toString("hex");
  const standIn: SmsStandIn = { baseUrl: "", account, token, received: [], script: [], delayMs: 0, unauthorized: 0, close: async () => {} };
  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const server = http.createServer(async (req, res) => {
    const text = await readBody(req);
    if (req.method !== "POST" || req.url !== `/2010-04-01/Accounts/${account}/Messages.json`) {
      return json(res, 404, { code: 20404, message: "The requested resource was not found", status: 404 });
    }
    if (req.headers.authorization !== `Basic ${Buffer.from(`${account}:${token}`).toString("base64")}`) {
      standIn.unauthorized++;
      return json(res, 401, { code: 20003, message: "Authenticate", status: 401 });
    }
    if (req.headers["content-type"] !== "application/x-www-form-urlencoded") {
      return json(res, 400, { code: 20001, message: "Expected a form", status: 400 });
    }
    const form = new URLSearchParams(text);
    const scripted = standIn.script.shift();
    if (scripted) return json(res, scripted.status, { code: scripted.code, message: scripted.message, status: scripted.status });
    if (!form.get("Body") || !/^\+1\d{10}$/.test(form.get("To") ?? "")) {
      return json(res, 400, { code: 21211, message: `The 'To' number ${form.get("To")} is not a valid phone number.`, status: 400 });
    }
    if (standIn.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, standIn.delayMs));
    const sid = `SM${randomBytes(16).toString("hex")}`;
    standIn.received.push({ To: form.get("To"), From: form.get("From"), MessagingServiceSid: form.get("MessagingServiceSid"), Body: form.get("Body")!, sid });
    json(res, 201, { sid, account_sid: account, to: form.get("To"), from: form.get("From"), body: form.get("Body"), status: "queued" });
  });
  standIn.baseUrl = await listen(server);
  standIn.close = () => closeHttp(server);
  return standIn;
}

export interface AppDelivery {
  body: Record<string, unknown>;
  raw: string;
  timestamp: number;
  delivery: string | undefined;
}

export interface AppStandIn {
  url: string;
  secret: string;
  received: AppDelivery[];
  /** Requests refused: bad or missing signature, or a timestamp outside five minutes. */
  refused: { reason: string }[];
  close(): Promise<void>;
}

/** A merchant's webhook receiver, checking the signature and the timestamp as its docs tell it to. */
export async function startAppReceiver(secret = randomBytes(24).toString("hex")): Promise<AppStandIn> {
  const standIn: AppStandIn = { url: "", secret, received: [], refused: [], close: async () => {} };
  const server = http.createServer(async (req, res) => {
    const raw = await readBody(req);
    const timestamp = String(req.headers["x-engage-timestamp"] ?? "");
    const signature = String(req.headers["x-engage-signature"] ?? "");
    const expected = `sha256=${createHmac("sha256", secret).update(`${timestamp}.${raw}`).digest("hex")}`;
    let reason: string | null = null;
    if (!/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) reason = "stale or missing timestamp";
    else if (signature.length !== expected.length || !timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) reason = "bad signature";
    else if (req.headers["content-type"] !== "application/json") reason = "not JSON";
    if (reason) {
      standIn.refused.push({ reason });
      res.writeHead(401).end();
      return;
    }
    standIn.received.push({ body: JSON.parse(raw), raw, timestamp: Number(timestamp), delivery: req.headers["x-engage-delivery"] as string | undefined });
    res.writeHead(204).end();
  });
  standIn.url = `${await listen(server)}/hooks/engage`;
  standIn.close = () => closeHttp(server);
  return standIn;
}
