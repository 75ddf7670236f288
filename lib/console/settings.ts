// The Owner's settings: people, locations and the Engage connection. Each function takes the
// signed-in user's group: scope never comes from the request.
import "server-only";
import { z } from "zod";
import { getDatabase } from "../db";
import { invalidField, notFound, validationFailed } from "../engage/errors";
import { bind } from "../engage/schemas/bind";
import { createLocation } from "../engage/tenancy";
import { getConnection, storeRemoteKey } from "./engage-client";
import { ROLES } from "./roles";
import { createStaffUser, resetStaffPassword, setStaffActive, updateStaffAccess } from "./users";

function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const bound = bind(schema, body);
  if (!bound.ok) throw validationFailed(bound.modelState);
  return bound.value;
}

const roleField = z.enum(ROLES, { error: "must be owner, manager or staff" });
const locationIds = z.array(z.number().int().positive(), { error: "must be a list of LocationIDs" }).max(500);

export const personCreateSchema = z.object({
  Email: z.string({ error: "is required" }).trim().email("must be a valid email address"),
  Name: z.string().trim().max(100).optional(),
  Role: roleField,
  LocationIDs: locationIds.default([]),
  Password: z.string({ error: "is required" }).min(10, "must be at least 10 characters").max(128),
});

export async function addPerson(groupId: number, body: unknown) {
  const input = parse(personCreateSchema, body);
  return createStaffUser(await getDatabase(), {
    groupId,
    email: input.Email,
    name: input.Name,
    role: input.Role,
    locationIds: input.LocationIDs,
    password: input.Password,
  });
}

export async function changePersonAccess(groupId: number, userId: string, actingUserId: string, body: unknown) {
  const input = parse(z.object({ Role: roleField, LocationIDs: locationIds.default([]) }), body);
  if (userId === actingUserId && input.Role !== "owner") throw invalidField("Role", "you cannot remove your own Owner role");
  return updateStaffAccess(await getDatabase(), { groupId, userId, role: input.Role, locationIds: input.LocationIDs });
}

export async function resetPersonPassword(groupId: number, userId: string, body: unknown) {
  const input = parse(z.object({ Password: z.string({ error: "is required" }).min(10, "must be at least 10 characters").max(128) }), body);
  await resetStaffPassword(await getDatabase(), { groupId, userId, password: input.Password });
}

export async function setPersonActive(groupId: number, userId: string, actingUserId: string, body: unknown) {
  const input = parse(z.object({ Active: z.boolean({ error: "must be true or false" }) }), body);
  if (userId === actingUserId && !input.Active) throw invalidField("Active", "you cannot deactivate yourself");
  return setStaffActive(await getDatabase(), { groupId, userId, active: input.Active });
}

export async function listLocations(groupId: number) {
  const handle = await getDatabase();
  const rows = await handle.db.selectFrom("locations").select(["id", "name"]).where("group_id", "=", groupId).orderBy("id").execute();
  return rows.map((r) => ({ LocationID: r.id, Name: r.name }));
}

const nameSchema = z.object({ Name: z.string({ error: "is required" }).trim().min(1, "is required").max(100, "must be at most 100 characters") });

export async function addLocation(groupId: number, body: unknown) {
  const input = parse(nameSchema, body);
  const location = await createLocation((await getDatabase()).db, { groupId, name: input.Name });
  return { LocationID: location.LocationID, Name: location.Name };
}

export async function renameLocation(groupId: number, locationId: number, body: unknown) {
  const input = parse(nameSchema, body);
  const handle = await getDatabase();
  const result = await handle.db
    .updateTable("locations")
    .set({ name: input.Name })
    .where("id", "=", locationId)
    .where("group_id", "=", groupId)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw notFound(`Location ${locationId}`);
  return { LocationID: locationId, Name: input.Name };
}

export async function describeConnection(groupId: number) {
  const handle = await getDatabase();
  const connection = await getConnection(handle, groupId);
  const keys = await handle.db
    .selectFrom("console_keys")
    .select(["location_id", "last4"])
    .where("group_id", "=", groupId)
    .where("mode", "=", connection.mode)
    .orderBy("id", "desc")
    .execute();
  const seen = new Set<string>();
  const Keys = [];
  for (const k of keys) {
    const scope = String(k.location_id);
    if (seen.has(scope)) continue;
    seen.add(scope);
    Keys.push({ LocationID: k.location_id, Last4: k.last4 });
  }
  return { Mode: connection.mode, RemoteURL: connection.remoteUrl, Keys };
}

const KEY = /^eng_(grp|loc)_[0-9A-Za-z]{28}$/;

export const connectionSchema = z.object({
  Mode: z.enum(["embedded", "remote"], { error: "must be embedded or remote" }),
  RemoteURL: z.string().trim().max(300).nullable().optional(),
  GroupKey: z.string().trim().max(100).nullable().optional(),
  LocationKeys: z.array(z.object({ LocationID: z.number().int().positive(), Key: z.string().trim().max(100) })).max(500).optional(),
});

export async function updateConnection(groupId: number, body: unknown) {
  const input = parse(connectionSchema, body);
  const handle = await getDatabase();
  let remoteUrl: string | null = null;
  if (input.Mode === "remote") {
    const raw = input.RemoteURL ?? "";
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw invalidField("RemoteURL", "must be the Engage server's address, such as https://engage.example.com");
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") throw invalidField("RemoteURL", "must start with https://");
    remoteUrl = url.origin;
    if (input.GroupKey && !input.GroupKey.startsWith("eng_grp_")) throw invalidField("GroupKey", "must be a group key (eng_grp_…)");
    if (input.GroupKey && !KEY.test(input.GroupKey)) throw invalidField("GroupKey", "is not a complete Engage key");
    const own = new Set((await listLocations(groupId)).map((l) => l.LocationID));
    for (const [i, k] of (input.LocationKeys ?? []).entries()) {
      if (!own.has(k.LocationID)) throw invalidField(`LocationKeys[${i}].LocationID`, "is not a location of this group");
      if (k.Key && !(k.Key.startsWith("eng_loc_") && KEY.test(k.Key))) throw invalidField(`LocationKeys[${i}].Key`, "must be a location key (eng_loc_…)");
    }
  }
  await handle.db
    .insertInto("console_connections")
    .values({ group_id: groupId, mode: input.Mode, remote_url: remoteUrl, updated_at: Date.now() })
    .onConflict((oc) => oc.column("group_id").doUpdateSet({ mode: input.Mode, remote_url: remoteUrl, updated_at: Date.now() }))
    .execute();
  if (input.Mode === "remote") {
    if (input.GroupKey) await storeRemoteKey(handle, groupId, null, input.GroupKey);
    for (const k of input.LocationKeys ?? []) if (k.Key) await storeRemoteKey(handle, groupId, k.LocationID, k.Key);
  }
  return describeConnection(groupId);
}
