// The console's secret and the encryption of stored Engage keys: AES-256-GCM round trips,
// tampering is detected, nothing readable is stored, and the generated secret file is made
// once and reused. Each scenario imports secret.ts afresh because the secret is cached.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { startTestServer, type Tenant, type TestServer } from "../engage/testing/harness";

const SECRET = "secret-test-secret-0123456789abcdefghijklmnop";
process.env.ENGAGE_CONSOLE_SECRET = SECRET;

type SecretModule = typeof import("./secret");

/** secret.ts as a new process would load it, with this environment. */
async function freshSecretModule(env: { secret?: string; dataDir?: string }): Promise<SecretModule> {
  vi.resetModules();
  if (env.secret === undefined) delete process.env.ENGAGE_CONSOLE_SECRET;
  else process.env.ENGAGE_CONSOLE_SECRET = env.secret;
  if (env.dataDir === undefined) delete process.env.ENGAGE_DATA_DIR;
  else process.env.ENGAGE_DATA_DIR = env.dataDir;
  return import("./secret");
}

const savedDataDir = process.env.ENGAGE_DATA_DIR;
afterEach(() => {
  process.env.ENGAGE_CONSOLE_SECRET = SECRET;
  if (savedDataDir === undefined) delete process.env.ENGAGE_DATA_DIR;
  else process.env.ENGAGE_DATA_DIR = savedDataDir;
});

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "engage-secret-"));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** Flips one bit of the sealed value's byte at `index` (negative: from the end). */
function flipByte(sealed: string, index: number): string {
  const bytes = Buffer.from(sealed, "base64url");
  const i = index < 0 ? bytes.length + index : index;
  bytes[i] ^= 0x01;
  return bytes.toString("base64url");
}

const KEY = "eng_grp_AbCdEfGhIjKlMnOpQrStUvWxYz12";

describe("encrypt and decrypt", () => {
  test("round-trip, including the empty string and non-ASCII text", async () => {
    const { encrypt, decrypt } = await freshSecretModule({ secret: SECRET });
    for (const plaintext of [KEY, "", "ключ – 鍵 – 🔑", "x".repeat(5000)]) {
      expect(decrypt(encrypt(plaintext))).toBe(plaintext);
    }
  });

  test("the same plaintext seals differently each time (a fresh IV)", async () => {
    const { encrypt, decrypt } = await freshSecretModule({ secret: SECRET });
    const a = encrypt(KEY);
    const b = encrypt(KEY);
    expect(a).not.toBe(b);
    expect(Buffer.from(a, "base64url").subarray(0, 12).equals(Buffer.from(b, "base64url").subarray(0, 12))).toBe(false);
    expect(decrypt(a)).toBe(KEY);
    expect(decrypt(b)).toBe(KEY);
  });

  test("the sealed value never contains the plaintext, as text or as bytes", async () => {
    const { encrypt } = await freshSecretModule({ secret: SECRET });
    const sealed = encrypt(KEY);
    expect(sealed).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain(KEY);
    expect(sealed).not.toContain(KEY.slice(8));
    const bytes = Buffer.from(sealed, "base64url");
    expect(bytes.includes(Buffer.from(KEY))).toBe(false);
    expect(bytes.includes(Buffer.from(KEY.slice(8)))).toBe(false);
    expect(bytes.toString("latin1")).not.toContain(KEY.slice(8, 16));
    // iv (12) + tag (16) + ciphertext of the same length as the plaintext.
    expect(bytes.length).toBe(12 + 16 + Buffer.byteLength(KEY));
  });

  test("any change to the IV, the tag or the ciphertext is detected", async () => {
    const { encrypt, decrypt } = await freshSecretModule({ secret: SECRET });
    const sealed = encrypt(KEY);
    for (const index of [0, 11, 12, 27, 28, -1]) {
      expect(() => decrypt(flipByte(sealed, index)), `byte ${index}`).toThrow();
    }
    const bytes = Buffer.from(sealed, "base64url");
    expect(() => decrypt(bytes.subarray(0, bytes.length - 1).toString("base64url"))).toThrow();
    expect(() => decrypt(Buffer.concat([bytes, Buffer.from([0])]).toString("base64url"))).toThrow();
    expect(() => decrypt("")).toThrow();
    // The untouched value still opens.
    expect(decrypt(sealed)).toBe(KEY);
  });

  test("a value sealed with one secret does not open with another", async () => {
    const first = await freshSecretModule({ secret: SECRET });
    const sealed = first.encrypt(KEY);
    const second = await freshSecretModule({ secret: "another-secret-0123456789abcdefghijklmnopqrs" });
    expect(() => second.decrypt(sealed)).toThrow();
    const again = await freshSecretModule({ secret: SECRET });
    expect(again.decrypt(sealed)).toBe(KEY);
  });

  test("keys derived for different purposes differ, and none is the secret itself", async () => {
    const { derivedKey, consoleSecret } = await freshSecretModule({ secret: SECRET });
    const keys = derivedKey("engage-keys");
    const sessions = derivedKey("sessions");
    expect(keys).toHaveLength(32);
    expect(keys.equals(sessions)).toBe(false);
    expect(keys.equals(consoleSecret().subarray(0, 32))).toBe(false);
    expect(derivedKey("engage-keys").equals(keys)).toBe(true);
  });
});

describe("the console secret", () => {
  test("ENGAGE_CONSOLE_SECRET shorter than 32 characters is refused with a clear message", async () => {
    const { encrypt } = await freshSecretModule({ secret: "too-short" });
    expect(() => encrypt(KEY)).toThrow(/ENGAGE_CONSOLE_SECRET must be at least 32 characters/);
  });

  test("without ENGAGE_CONSOLE_SECRET a secret file is generated once (mode 600) and reused after a restart", async () => {
    const dir = path.join(tempDir(), "nested", "data");
    const first = await freshSecretModule({ dataDir: dir });
    const sealed = first.encrypt(KEY);
    const file = path.join(dir, "console-secret");
    expect(first.secretFile()).toBe(file);
    expect(fs.existsSync(file)).toBe(true);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const contents = fs.readFileSync(file, "utf8");
    expect(contents.trim().length).toBeGreaterThanOrEqual(32);

    const restarted = await freshSecretModule({ dataDir: dir });
    expect(restarted.decrypt(sealed)).toBe(KEY);
    expect(fs.readFileSync(file, "utf8")).toBe(contents);

    // Another data folder has another secret.
    const elsewhere = await freshSecretModule({ dataDir: tempDir() });
    expect(() => elsewhere.decrypt(sealed)).toThrow();
  });
});

describe("stored Engage keys (console_keys)", () => {
  let server: TestServer;
  let tenant: Tenant;
  beforeAll(async () => {
    vi.resetModules();
    process.env.ENGAGE_CONSOLE_SECRET = SECRET;
    server = await startTestServer();
    tenant = await server.createTenant(2);
  });
  afterAll(async () => {
    await server?.close();
  });

  test("a key the console makes for itself is stored sealed, never in the clear, and reused", async () => {
    const { consoleKey } = await import("./engage-client");
    const { decrypt } = await import("./secret");
    const groupKey = await consoleKey(server.database, "embedded", tenant.groupId, null);
    const locationKey = await consoleKey(server.database, "embedded", tenant.groupId, tenant.locations[0].locationId);
    expect(groupKey).toMatch(/^eng_grp_/);
    expect(locationKey).toMatch(/^eng_loc_/);
    // Asked again, the same keys come back: no new key per call.
    expect(await consoleKey(server.database, "embedded", tenant.groupId, null)).toBe(groupKey);
    expect(await consoleKey(server.database, "embedded", tenant.groupId, tenant.locations[0].locationId)).toBe(locationKey);

    const rows = await server.database.db.selectFrom("console_keys").selectAll().where("group_id", "=", tenant.groupId).orderBy("id").execute();
    expect(rows).toHaveLength(2);
    for (const [row, key] of [
      [rows[0], groupKey!],
      [rows[1], locationKey!],
    ] as const) {
      expect(row.mode).toBe("embedded");
      expect(row.sealed_key).not.toContain(key);
      expect(row.sealed_key).not.toContain(key.slice(8));
      expect(Buffer.from(row.sealed_key, "base64url").includes(Buffer.from(key.slice(8)))).toBe(false);
      expect(decrypt(row.sealed_key)).toBe(key);
      expect(row.last4).toBe(key.slice(-4));
      expect(row.api_key_id).not.toBeNull();
    }
    expect(rows[0].location_id).toBeNull();
    expect(Number(rows[1].location_id)).toBe(tenant.locations[0].locationId);

    // The Engage side stores no key in the clear either.
    const apiKeys = await server.database.db.selectFrom("api_keys").selectAll().execute();
    const dump = JSON.stringify(apiKeys);
    expect(dump).not.toContain(groupKey!.slice(8));
    expect(dump).not.toContain(locationKey!.slice(8));
  });

  test("a remote server's key is stored sealed, and replaced by the next one", async () => {
    const { consoleKey, storeRemoteKey } = await import("./engage-client");
    const locationId = tenant.locations[1].locationId;
    expect(await consoleKey(server.database, "remote", tenant.groupId, locationId)).toBeNull();
    const first = "eng_loc_0123456789abcdefghijklmnopqr";
    const second = "eng_loc_ZYXWVUTSRQPONMLKJIHGFEDCBA98";
    await storeRemoteKey(server.database, tenant.groupId, locationId, first);
    expect(await consoleKey(server.database, "remote", tenant.groupId, locationId)).toBe(first);
    await storeRemoteKey(server.database, tenant.groupId, locationId, second);
    expect(await consoleKey(server.database, "remote", tenant.groupId, locationId)).toBe(second);
    // No group key was given, and the embedded mode's keys are not used for the remote server.
    expect(await consoleKey(server.database, "remote", tenant.groupId, null)).toBeNull();

    const rows = await server.database.db
      .selectFrom("console_keys")
      .selectAll()
      .where("group_id", "=", tenant.groupId)
      .where("mode", "=", "remote")
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0].sealed_key).not.toContain(second.slice(8));
    expect(rows[0].sealed_key).not.toContain(first.slice(8));
    expect(rows[0].last4).toBe(second.slice(-4));
  });
});
