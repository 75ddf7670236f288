// Staff accounts: created by an Owner (Settings → People) or the CLI, with a role and the
// locations they work at. Passwords are hashed by better-auth; deactivating a user ends
// their sessions at once.
import "server-only";
import { createInternalAdapter } from "better-auth/db";
import { getAdapter } from "better-auth/db/adapter";
import { z } from "zod";
import { isUniqueViolation, type DatabaseHandle } from "../db";
import { EngageError, invalidField, notFound } from "../engage/errors";
import { authFor } from "./auth";
import { ROLES, type Role } from "./roles";

export interface StaffUser {
  UserID: string;
  Email: string;
  Name: string;
  Role: Role;
  GroupID: number;
  LocationIDs: number[];
  Active: boolean;
}

export const MIN_PASSWORD = 10;

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD) throw invalidField("Password", `must be at least ${MIN_PASSWORD} characters`);
  if (password.length > 128) throw invalidField("Password", "must be at most 128 characters");
}

/** The locations a role works at: an Owner all of them, Staff exactly one, a Manager one or more. */
async function checkLocations(handle: DatabaseHandle, groupId: number, role: Role, locationIds: number[]): Promise<number[]> {
  const unique = [...new Set(locationIds)];
  if (role === "owner") return [];
  if (role === "staff" && unique.length !== 1) throw invalidField("LocationIDs", "a Staff user works at exactly one location");
  if (role === "manager" && unique.length === 0) throw invalidField("LocationIDs", "a Manager needs at least one location");
  const found = await handle.db
    .selectFrom("locations")
    .select("id")
    .where("group_id", "=", groupId)
    .where("id", "in", unique)
    .execute();
  if (found.length !== unique.length) throw invalidField("LocationIDs", "must be locations of this group");
  return unique;
}

export async function createStaffUser(
  handle: DatabaseHandle,
  input: { groupId: number; email: string; name?: string; role: Role; locationIds: number[]; password: string },
): Promise<StaffUser> {
  if (!ROLES.includes(input.role)) throw invalidField("Role", "must be owner, manager or staff");
  const email = input.email.trim().toLowerCase();
  // The rule sign-in applies (better-auth checks with zod's): an address it refuses could never sign in.
  if (!z.email().safeParse(email).success) throw invalidField("Email", "must be a valid email address");
  checkPassword(input.password);
  const group = await handle.db.selectFrom("groups").select("id").where("id", "=", input.groupId).executeTakeFirst();
  if (!group) throw notFound(`Group ${input.groupId}`);
  const locationIds = await checkLocations(handle, input.groupId, input.role, input.locationIds);
  const existing = await handle.db.selectFrom("user").select("id").where("email", "=", email).executeTakeFirst();
  const duplicate = () => new EngageError(409, "conflict", "A user with this email already exists.", { Email: ["already has an account"] });
  if (existing) throw duplicate();

  const ctx = await authFor(handle).$context;
  // Hashing is slow on purpose: done before the transaction, so the write lock is held briefly.
  const passwordHash = await ctx.password.hash(input.password);
  // All or nothing: the user, their password and their locations in one transaction, written
  // by better-auth's own adapter bound to that transaction (its ids, dates and booleans as it
  // reads them), so a failure at any step leaves no account that could sign in half-made.
  const user = await handle.db.transaction().execute(async (trx) => {
    const adapter = await getAdapter({ ...ctx.options, database: { db: trx, type: handle.dialect } });
    const users = createInternalAdapter(adapter, {
      options: ctx.options,
      logger: ctx.logger,
      hooks: ctx.options.databaseHooks ? [{ source: "user", hooks: ctx.options.databaseHooks }] : [],
      generateId: ctx.generateId,
    });
    const created = await users
      .createUser({
        email,
        name: input.name?.trim() || email.split("@")[0],
        emailVerified: false,
        role: input.role,
        groupId: input.groupId,
        active: true,
      }, { method: "admin" })
      .catch((error: unknown) => {
        // A simultaneous creation with the same email won the unique index.
        throw isUniqueViolation(error) ? duplicate() : error;
      });
    await users.linkAccount({ userId: created.id, providerId: "credential", accountId: created.id, password: passwordHash });
    if (locationIds.length > 0) {
      await trx
        .insertInto("staff_locations")
        .values(locationIds.map((locationId) => ({ user_id: created.id, location_id: locationId })))
        .execute();
    }
    return created;
  });
  return {
    UserID: user.id,
    Email: email,
    Name: user.name,
    Role: input.role,
    GroupID: input.groupId,
    LocationIDs: locationIds,
    Active: true,
  };
}

export async function listStaffUsers(handle: DatabaseHandle, groupId: number): Promise<StaffUser[]> {
  const users = await handle.db
    .selectFrom("user")
    .select(["id", "email", "name", "role", "groupId", "active"])
    .where("groupId", "=", groupId)
    .orderBy("email")
    .execute();
  const links = users.length
    ? await handle.db.selectFrom("staff_locations").selectAll().where("user_id", "in", users.map((u) => u.id)).execute()
    : [];
  return users.map((u) => ({
    UserID: u.id,
    Email: u.email,
    Name: u.name,
    Role: u.role as Role,
    GroupID: Number(u.groupId),
    LocationIDs: links.filter((l) => l.user_id === u.id).map((l) => l.location_id).sort((a, b) => a - b),
    Active: Boolean(u.active),
  }));
}

export async function getStaffUser(handle: DatabaseHandle, groupId: number, userId: string): Promise<StaffUser> {
  const user = (await listStaffUsers(handle, groupId)).find((u) => u.UserID === userId);
  if (!user) throw notFound("User");
  return user;
}

export async function updateStaffAccess(
  handle: DatabaseHandle,
  input: { groupId: number; userId: string; role: Role; locationIds: number[] },
): Promise<StaffUser> {
  if (!ROLES.includes(input.role)) throw invalidField("Role", "must be owner, manager or staff");
  await getStaffUser(handle, input.groupId, input.userId);
  const locationIds = await checkLocations(handle, input.groupId, input.role, input.locationIds);
  await handle.db.transaction().execute(async (trx) => {
    await trx.updateTable("user").set({ role: input.role }).where("id", "=", input.userId).execute();
    await trx.deleteFrom("staff_locations").where("user_id", "=", input.userId).execute();
    if (locationIds.length > 0) {
      await trx
        .insertInto("staff_locations")
        .values(locationIds.map((locationId) => ({ user_id: input.userId, location_id: locationId })))
        .execute();
    }
  });
  return getStaffUser(handle, input.groupId, input.userId);
}

/** An Owner's reset: the new password works at once, every session of the user ends. */
export async function resetStaffPassword(
  handle: DatabaseHandle,
  input: { groupId: number; userId: string; password: string },
): Promise<void> {
  checkPassword(input.password);
  await getStaffUser(handle, input.groupId, input.userId);
  const ctx = await authFor(handle).$context;
  await ctx.internalAdapter.updatePassword(input.userId, await ctx.password.hash(input.password));
  await ctx.internalAdapter.deleteUserSessions(input.userId);
}

export async function setStaffActive(
  handle: DatabaseHandle,
  input: { groupId: number; userId: string; active: boolean },
): Promise<StaffUser> {
  await getStaffUser(handle, input.groupId, input.userId);
  await handle.db.updateTable("user").set({ active: input.active ? 1 : 0 }).where("id", "=", input.userId).execute();
  if (!input.active) {
    const ctx = await authFor(handle).$context;
    await ctx.internalAdapter.deleteUserSessions(input.userId);
  }
  return getStaffUser(handle, input.groupId, input.userId);
}
