// The console's server secret: ENGAGE_CONSOLE_SECRET, or one generated into the data folder
// on first start. It encrypts the stored Engage keys (AES-256-GCM) and signs sessions.
// Several app instances on one PostgreSQL must share it: set ENGAGE_CONSOLE_SECRET there.
import "server-only";
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

let cached: Buffer | undefined;

export function secretFile(): string {
  // Found at run time: the build must not trace (copy into its output) the secret file that
  // happens to be in the build machine's ./data.
  return path.resolve(/*turbopackIgnore: true*/ process.env.ENGAGE_DATA_DIR || "./data", "console-secret");
}

export function consoleSecret(): Buffer {
  if (cached) return cached;
  const fromEnv = process.env.ENGAGE_CONSOLE_SECRET;
  if (fromEnv) {
    if (fromEnv.length < 32) throw new Error("ENGAGE_CONSOLE_SECRET must be at least 32 characters");
    cached = Buffer.from(fromEnv, "utf8");
    return cached;
  }
  const file = secretFile();
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    try {
      fs.writeFileSync(file, randomBytes(32).toString("base64url"), { flag: "wx", mode: 0o600 });
    } catch (error) {
      if ((error as { code?: string }).code !== "EEXIST") throw error;
    }
  }
  cached = Buffer.from(fs.readFileSync(file, "utf8").trim(), "utf8");
  return cached;
}

/** A key for one purpose, derived from the secret: encryption and session signing never share one. */
export function derivedKey(purpose: string, length = 32): Buffer {
  return Buffer.from(hkdfSync("sha256", consoleSecret(), Buffer.alloc(0), `engage-console:${purpose}`, length));
}

/** AES-256-GCM: iv (12) · tag (16) · ciphertext, base64url. */
export function encrypt(plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", derivedKey("engage-keys"), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64url");
}

export function decrypt(sealed: string): string {
  const data = Buffer.from(sealed, "base64url");
  const decipher = createDecipheriv("aes-256-gcm", derivedKey("engage-keys"), data.subarray(0, 12));
  decipher.setAuthTag(data.subarray(12, 28));
  return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString("utf8");
}
