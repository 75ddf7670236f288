// Settings → Developers (the Owner's): the group's and its locations' secret keys — listed
// masked, created (shown once), rolled, revoked — and a test receipt sent through the
// EngageClient exactly as a POS would send it. Keys live in the embedded Engage; against a
// remote Engage they are managed on that server.
import "server-only";
import { z } from "zod";
import { getDatabase } from "../db";
import { iso } from "../engage/context";
import { EngageError, invalidField, notFound, validationFailed } from "../engage/errors";
import { maskKey } from "../engage/keys";
import { bind } from "../engage/schemas/bind";
import { createKey } from "../engage/tenancy";
import { engageClientFor, getConnection, type EngageCall } from "./engage-client";

export interface DeveloperKey {
  KeyID: number;
  /** Null for the group key. */
  LocationID: number | null;
  LocationName: string | null;
  /** The prefix and the last 4 characters: `eng_loc_…a1B2`. */
  Masked: string;
  Label: string | null;
  CreatedAt: string;
  /** The console's own key for that scope: it rolls and revokes only with the connection. */
  UsedByConsole: boolean;
}

export interface DeveloperSettings {
  Mode: "embedded" | "remote";
  RemoteURL: string | null;
  Locations: { LocationID: number; Name: string }[];
  /** Live keys, the group key's first; empty against a remote Engage. */
  Keys: DeveloperKey[];
}

async function locationsOf(groupId: number) {
  const handle = await getDatabase();
  const rows = await handle.db.selectFrom("locations").select(["id", "name"]).where("group_id", "=", groupId).orderBy("id").execute();
  return rows.map((r) => ({ LocationID: r.id, Name: r.name }));
}

async function embeddedOnly(groupId: number): Promise<void> {
  const connection = await getConnection(await getDatabase(), groupId);
  if (connection.mode === "remote") {
    throw new EngageError(409, "conflict", `This console uses the Engage server at ${connection.remoteUrl}: its keys are managed on that server.`);
  }
}

export async function listDeveloperKeys(groupId: number): Promise<DeveloperSettings> {
  const handle = await getDatabase();
  const connection = await getConnection(handle, groupId);
  const Locations = await locationsOf(groupId);
  if (connection.mode === "remote") return { Mode: "remote", RemoteURL: connection.remoteUrl, Locations, Keys: [] };
  const names = new Map(Locations.map((l) => [l.LocationID, l.Name]));
  const [rows, consoleRows] = await Promise.all([
    handle.db
      .selectFrom("api_keys")
      .select(["id", "location_id", "last4", "label", "created_at"])
      .where("group_id", "=", groupId)
      .where("revoked_at", "is", null)
      .orderBy("id")
      .execute(),
    handle.db.selectFrom("console_keys").select("api_key_id").where("group_id", "=", groupId).where("mode", "=", "embedded").execute(),
  ]);
  const consoleKeys = new Set(consoleRows.map((r) => r.api_key_id));
  const Keys = rows.map((r) => ({
    KeyID: r.id,
    LocationID: r.location_id,
    LocationName: r.location_id === null ? null : (names.get(r.location_id) ?? null),
    Masked: maskKey(r.last4, r.location_id === null ? "group" : "location"),
    Label: r.label,
    CreatedAt: iso(r.created_at)!,
    UsedByConsole: consoleKeys.has(r.id),
  }));
  // The group key first, then by location, oldest first.
  Keys.sort((a, b) => (a.LocationID ?? 0) - (b.LocationID ?? 0) || a.KeyID - b.KeyID);
  return { Mode: "embedded", RemoteURL: null, Locations, Keys };
}

export const keyCreateSchema = z.object({
  /** Null or absent: a group key. */
  LocationID: z.number({ error: "must be a LocationID, or null for a group key" }).int().positive().nullable().optional(),
  Label: z.string({ error: "must be text" }).trim().max(100, "must be at most 100 characters").optional(),
});

function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const bound = bind(schema, body ?? {});
  if (!bound.ok) throw validationFailed(bound.modelState);
  return bound.value;
}

async function describeKey(groupId: number, keyId: number): Promise<DeveloperKey> {
  const key = (await listDeveloperKeys(groupId)).Keys.find((k) => k.KeyID === keyId);
  if (!key) throw notFound(`Key ${keyId}`);
  return key;
}

/** A new key, returned whole this once (`Key`); afterwards only masked. */
export async function createDeveloperKey(groupId: number, body: unknown): Promise<DeveloperKey & { Key: string }> {
  await embeddedOnly(groupId);
  const input = parse(keyCreateSchema, body);
  const locationId = input.LocationID ?? null;
  if (locationId !== null && !(await locationsOf(groupId)).some((l) => l.LocationID === locationId)) {
    throw invalidField("LocationID", "is not a location of this group");
  }
  const handle = await getDatabase();
  const created = await createKey(handle.db, { groupId, locationId, label: input.Label || null });
  return { ...(await describeKey(groupId, created.KeyID)), Key: created.Key };
}

/** A live key of this group that the Owner may change: not another group's, not the console's own. */
async function ownKey(groupId: number, keyId: number) {
  const handle = await getDatabase();
  const row = await handle.db
    .selectFrom("api_keys")
    .select(["id", "location_id", "label", "revoked_at"])
    .where("id", "=", keyId)
    .where("group_id", "=", groupId)
    .executeTakeFirst();
  if (!row || row.revoked_at !== null) throw notFound(`Key ${keyId}`);
  const usedByConsole = await handle.db.selectFrom("console_keys").select("id").where("api_key_id", "=", keyId).executeTakeFirst();
  if (usedByConsole) {
    throw new EngageError(409, "conflict", "The console itself uses this key to reach Engage; create a key of your own for your POS.");
  }
  return row;
}

/** Replaces a key: a new one for the same scope and label, and the old one revoked, at once. */
export async function rollDeveloperKey(groupId: number, keyId: number): Promise<DeveloperKey & { Key: string; ReplacedKeyID: number }> {
  await embeddedOnly(groupId);
  const old = await ownKey(groupId, keyId);
  const handle = await getDatabase();
  const created = await handle.db.transaction().execute(async (trx) => {
    const key = await createKey(trx, { groupId, locationId: old.location_id, label: old.label });
    const revoked = await trx.updateTable("api_keys").set({ revoked_at: Date.now() }).where("id", "=", keyId).where("revoked_at", "is", null).executeTakeFirst();
    // Rolled or revoked by someone else meanwhile: nothing changes.
    if (Number(revoked.numUpdatedRows) !== 1) throw notFound(`Key ${keyId}`);
    return key;
  });
  return { ...(await describeKey(groupId, created.KeyID)), Key: created.Key, ReplacedKeyID: keyId };
}

export async function revokeDeveloperKey(groupId: number, keyId: number): Promise<{ KeyID: number; RevokedAt: string }> {
  await embeddedOnly(groupId);
  await ownKey(groupId, keyId);
  const handle = await getDatabase();
  const at = Date.now();
  const revoked = await handle.db.updateTable("api_keys").set({ revoked_at: at }).where("id", "=", keyId).where("revoked_at", "is", null).executeTakeFirst();
  if (Number(revoked.numUpdatedRows) !== 1) throw notFound(`Key ${keyId}`);
  return { KeyID: keyId, RevokedAt: iso(at)! };
}

// --- A test receipt -------------------------------------------------------------------------

/** The test customer's ExternalID: found again on every test, registered on the first. */
export const TEST_CUSTOMER_EXTERNAL_ID = "engage-test-receipts";

export interface Exchange {
  Title: string;
  Request: { Method: string; URL: string; Headers: Record<string, string>; Body: unknown };
  Response: { Status: number; Headers: Record<string, string>; Body: unknown };
}

const SHOWN_RESPONSE_HEADERS = ["content-type", "location", "x-request-id", "idempotent-replayed", "x-total-count"];

export const testReceiptSchema = z.object({
  LocationID: z.number({ error: "choose a location" }).int().positive(),
});

/**
 * The guide's receipt, posted with the location's key through the EngageClient (embedded or
 * remote) as a POS would: first the test customer is found (or registered), then the receipt
 * submitted. Returns each exchange as sent and answered, the key masked.
 */
export async function sendTestReceipt(
  user: { id: string; email: string; groupId: number },
  origin: string,
  body: unknown,
): Promise<{ Exchanges: Exchange[] }> {
  const input = parse(testReceiptSchema, body);
  if (!(await locationsOf(user.groupId)).some((l) => l.LocationID === input.LocationID)) {
    throw invalidField("LocationID", "is not a location of this group");
  }
  const handle = await getDatabase();
  const connection = await getConnection(handle, user.groupId);
  const client = await engageClientFor(user.groupId);
  const scope = { groupId: user.groupId, locationId: input.LocationID };
  const base = connection.mode === "remote" ? connection.remoteUrl! : origin;
  const exchanges: Exchange[] = [];

  async function send(title: string, call: EngageCall) {
    const result = await client.call(scope, { ...call, actor: { type: "user", id: user.id, label: user.email } });
    const last4 = await handle.db
      .selectFrom("console_keys")
      .select("last4")
      .where("group_id", "=", user.groupId)
      .where("mode", "=", connection.mode)
      .where("location_id", "=", input.LocationID)
      .orderBy("id", "desc")
      .executeTakeFirst();
    let parsed: unknown = null;
    try {
      parsed = result.body ? JSON.parse(result.body) : null;
    } catch {
      parsed = result.body;
    }
    const query = call.query && [...call.query].length > 0 ? `?${call.query}` : "";
    exchanges.push({
      Title: title,
      Request: {
        Method: call.method,
        URL: `${base}${call.path}${query}`,
        Headers: {
          Authorization: last4 ? maskKey(last4.last4, "location") : "(the location's key)",
          ...(call.body !== undefined ? { "Content-Type": "application/json" } : {}),
        },
        Body: call.body ?? null,
      },
      Response: {
        Status: result.status,
        Headers: Object.fromEntries(Object.entries(result.headers).filter(([name]) => SHOWN_RESPONSE_HEADERS.includes(name.toLowerCase()))),
        Body: parsed,
      },
    });
    return { status: result.status, body: parsed };
  }

  const found = await send("Find the test customer", {
    method: "GET",
    path: "/v1/Customers",
    query: new URLSearchParams({ ExternalID: TEST_CUSTOMER_EXTERNAL_ID }),
  });
  let customerId = found.status === 200 && Array.isArray(found.body) ? (found.body[0] as { CustomerID?: number } | undefined)?.CustomerID : undefined;
  if (found.status !== 200) return { Exchanges: exchanges };
  if (customerId === undefined) {
    const registered = await send("Register the test customer", {
      method: "POST",
      path: "/v1/Customers",
      body: { ExternalID: TEST_CUSTOMER_EXTERNAL_ID, FirstName: "Test", LastName: "Receipts", AcceptsSMS: false, AcceptsEmail: false },
    });
    customerId = (registered.body as { CustomerID?: number } | null)?.CustomerID;
    if (registered.status !== 201 || customerId === undefined) return { Exchanges: exchanges };
  }
  await send("Submit the guide's receipt", {
    method: "POST",
    path: "/v1/Receipts",
    body: {
      CustomerID: customerId,
      Skus: [{ SKU: "SOCKS", Description: "AWESOME 80s Socks!", Amount: 10.5, Quantity: 2 }],
      Discounts: [],
      SubTotal: 21.0,
      Taxes: 1.58,
      Total: 22.58,
    },
  });
  return { Exchanges: exchanges };
}
