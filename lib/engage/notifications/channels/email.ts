// Email over SMTP (nodemailer, SMTP_URL). Every message carries List-Unsubscribe with the
// one-click address and List-Unsubscribe-Post (RFC 8058), so mail clients offer an
// unsubscribe button, and a stable Message-ID, so a retried message is recognisably the same.
import "server-only";
import nodemailer from "nodemailer";
import type { EmailTransport } from "../config";
import { DELIVERY_TIMEOUT_MS, errorText, type Channel, type DeliveryOutcome, type OutgoingMessage } from "./types";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

export function emailContent(message: OutgoingMessage): { subject: string; text: string; html: string } {
  const { rendered, unsubscribe, groupName } = message;
  const text = [
    rendered.message,
    "",
    `${rendered.values.AmountOff} off — code ${rendered.values.Code}`,
    rendered.terms,
    "",
    `You receive offers from ${groupName} because you agreed to. Unsubscribe: ${unsubscribe.pageUrl}`,
  ].join("\n");
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(rendered.subject)}</title></head>
<body style="margin:0;padding:24px;background:#f5f5f4;font-family:Arial,Helvetica,sans-serif;color:#1c1917">
<div style="max-width:480px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px">
<p style="font-size:16px;line-height:1.5;margin:0 0 16px">${escapeHtml(rendered.message)}</p>
<div style="border:2px dashed #a8a29e;border-radius:8px;padding:16px;text-align:center">
<p style="font-size:24px;font-weight:bold;margin:0">${escapeHtml(rendered.values.AmountOff)} off</p>
<p style="font-size:20px;letter-spacing:3px;font-family:monospace;margin:8px 0">${escapeHtml(rendered.values.Code)}</p>
<p style="font-size:14px;margin:0">${escapeHtml(rendered.terms)}</p>
</div>
<p style="font-size:12px;color:#57534e;margin:24px 0 0">You receive offers from ${escapeHtml(groupName)} because you agreed to.
<a href="${escapeHtml(unsubscribe.pageUrl)}" style="color:#57534e">Unsubscribe</a></p>
</div>
</body></html>`;
  return { subject: rendered.subject, text, html };
}

export function createEmailChannel(transport: EmailTransport): Channel {
  const transporter = nodemailer.createTransport({
    url: transport.url,
    connectionTimeout: DELIVERY_TIMEOUT_MS,
    greetingTimeout: DELIVERY_TIMEOUT_MS,
    socketTimeout: DELIVERY_TIMEOUT_MS,
  });
  const domain = /@([^>\s]+)>?\s*$/.exec(transport.from)?.[1] ?? "localhost";
  return {
    async send(message: OutgoingMessage): Promise<DeliveryOutcome> {
      const content = emailContent(message);
      const name = [message.firstName, message.lastName].filter(Boolean).join(" ");
      try {
        const info = await transporter.sendMail({
          from: transport.from,
          to: name ? { name, address: message.recipient } : message.recipient,
          subject: content.subject,
          text: content.text,
          html: content.html,
          messageId: `<notification-${message.notificationId}@${domain}>`,
          headers: {
            "List-Unsubscribe": `<${message.unsubscribe.oneClickUrl}>`,
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
          },
        });
        if (info.rejected.length > 0) return { ok: false, permanent: true, error: `recipient refused: ${info.response ?? ""}`.trim() };
        return { ok: true, providerId: info.messageId ?? null };
      } catch (error) {
        // SMTP's 5xx replies are permanent (no such mailbox, refused); 4xx and lost connections pass.
        const responseCode = (error as { responseCode?: number }).responseCode;
        const permanent = typeof responseCode === "number" && responseCode >= 500 && responseCode < 600;
        return { ok: false, permanent, error: errorText(error) };
      }
    },
    close() {
      transporter.close();
    },
  };
}
