// Groups (the holding business), their locations, and the secret keys that act for them
// (ENGAGE_API.md §1). Keys are shown once, stored as a hash, revocable; several may be live
// per scope so a key can be rolled without downtime.
import "server-only";
import type { DB } from "../db";
import { prepared } from "../db/prepared";
import { iso, type Scope } from "./context";
import { notFound } from "./errors";
import { generateKey, hashKey, isWellFormedKey, maskKey } from "./keys";

export interface CreatedKey {
  KeyID: number;
  Key: string;
  GroupID: number;
  LocationID: number | null;
}

export async function createKey(
  db: DB,
  { groupId, locationId = null, label = null }: { groupId: number; locationId?: number | null; label?: string | null },
): Promise<CreatedKey> {
  const group = await db.selectFrom("groups").select("id").where("id", "=", groupId).executeTakeFirst();
  if (!group) throw notFound(`Group ${groupId}`);
  if (locationId !== null) {
    const location = await db
      .selectFrom("locations")
      .select("id")
      .where("id", "=", locationId)
      .where("group_id", "=", groupId)
      .executeTakeFirst();
    if (!location) throw notFound(`Location ${locationId} of group ${groupId}`);
  }
  const key = generateKey(locationId === null ? "group" : "location");
  const row = await db
    .insertInto("api_keys")
    .values({
      group_id: groupId,
      location_id: locationId,
      hash: hashKey(key),
      last4: key.slice(-4),
      label,
      created_at: Date.now(),
      revoked_at: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { KeyID: row.id, Key: key, GroupID: groupId, LocationID: locationId };
}

export async function createGroup(db: DB, { name }: { name: string }) {
  const group = await db
    .insertInto("groups")
    .values({ name, created_at: Date.now() })
    .returning(["id", "name"])
    .executeTakeFirstOrThrow();
  const key = await createKey(db, { groupId: group.id });
  return { GroupID: group.id, Name: group.name, Key: key.Key, KeyID: key.KeyID };
}

export async function createLocation(db: DB, { groupId, name }: { groupId: number; name: string }) {
  const group = await db.selectFrom("groups").select("id").where("id", "=", groupId).executeTakeFirst();
  if (!group) throw notFound(`Group ${groupId}`);
  const location = await db
    .insertInto("locations")
    .values({ group_id: groupId, name, created_at: Date.now() })
    .returning(["id", "name"])
    .executeTakeFirstOrThrow();
  const key = await createKey(db, { groupId, locationId: location.id });
  return { LocationID: location.id, GroupID: groupId, Name: location.name, Key: key.Key, KeyID: key.KeyID };
}

export async function listKeys(db: DB, groupId: number) {
  const rows = await db
    .selectFrom("api_keys")
    .selectAll()
    .where("group_id", "=", groupId)
    .orderBy("id")
    .execute();
  return rows.map((r) => ({
    KeyID: r.id,
    GroupID: r.group_id,
    LocationID: r.location_id,
    Key: maskKey(r.last4, r.location_id === null ? "group" : "location"),
    Label: r.label,
    CreatedAt: iso(r.created_at),
    RevokedAt: iso(r.revoked_at),
  }));
}

export async function revokeKey(db: DB, keyId: number) {
  const row = await db.selectFrom("api_keys").select(["id", "revoked_at"]).where("id", "=", keyId).executeTakeFirst();
  if (!row) throw notFound(`Key ${keyId}`);
  const revokedAt = row.revoked_at ?? Date.now();
  if (row.revoked_at === null) await db.updateTable("api_keys").set({ revoked_at: revokedAt }).where("id", "=", keyId).execute();
  return { KeyID: keyId, RevokedAt: iso(revokedAt) };
}

/** Sets a key's own rate limit ("1200/60s"), or null to use ENGAGE_RATE_LIMIT's again. */
export async function setKeyRateLimit(db: DB, keyId: number, rateLimit: string | null) {
  const row = await db.selectFrom("api_keys").select("id").where("id", "=", keyId).executeTakeFirst();
  if (!row) throw notFound(`Key ${keyId}`);
  await db.updateTable("api_keys").set({ rate_limit: rateLimit }).where("id", "=", keyId).execute();
  return { KeyID: keyId, RateLimit: rateLimit };
}

// Every request's first statement, built once (lib/db/prepared.ts).
const keyByHash = prepared((db, p: { hash: string }) =>
  db.selectFrom("api_keys").select(["id", "group_id", "location_id", "revoked_at", "rate_limit"]).where("hash", "=", p.hash),
);

/** The scope a secret key acts for, or null: missing, malformed, unknown and revoked alike. */
export async function authenticate(db: DB, key: string | null): Promise<Scope | null> {
  if (!key || !isWellFormedKey(key)) return null;
  const row = await keyByHash.first(db, { hash: hashKey(key) });
  if (!row || row.revoked_at !== null) return null;
  return { groupId: row.group_id, locationId: row.location_id, keyId: row.id, rateLimit: row.rate_limit };
}
