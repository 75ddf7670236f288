// First run: with no group in the database, the console's setup page creates the group, its
// first locations and the Owner's account. Once a group exists, setup is closed.
import "server-only";
import { z } from "zod";
import { getDatabase } from "../db";
import { EngageError, validationFailed } from "../engage/errors";
import { bind } from "../engage/schemas/bind";
import { createGroup, createLocation } from "../engage/tenancy";
import { createStaffUser } from "./users";

export const setupSchema = z.object({
  GroupName: z.string({ error: "is required" }).trim().min(1, "is required").max(100, "must be at most 100 characters"),
  Locations: z
    .array(z.string().trim().min(1, "a location needs a name").max(100, "must be at most 100 characters"), { error: "is required" })
    .min(1, "add at least one location")
    .max(20, "at most 20 locations here; add more later"),
  Name: z.string({ error: "is required" }).trim().min(1, "is required").max(100),
  Email: z.string({ error: "is required" }).trim().email("must be a valid email address"),
  Password: z.string({ error: "is required" }).min(10, "must be at least 10 characters").max(128),
});

export async function setupNeeded(): Promise<boolean> {
  const handle = await getDatabase();
  const group = await handle.db.selectFrom("groups").select("id").limit(1).executeTakeFirst();
  return !group;
}

export async function runSetup(input: unknown): Promise<{ GroupID: number }> {
  const bound = bind(setupSchema, input);
  if (!bound.ok) throw validationFailed(bound.modelState);
  const handle = await getDatabase();
  if (!(await setupNeeded())) throw new EngageError(409, "conflict", "This console is already set up. Sign in instead.");
  const group = await createGroup(handle.db, { name: bound.value.GroupName });
  const locationIds: number[] = [];
  for (const name of bound.value.Locations) locationIds.push((await createLocation(handle.db, { groupId: group.GroupID, name })).LocationID);
  await createStaffUser(handle, {
    groupId: group.GroupID,
    email: bound.value.Email,
    name: bound.value.Name,
    role: "owner",
    locationIds: [],
    password: bound.value.Password,
  });
  return { GroupID: group.GroupID };
}
