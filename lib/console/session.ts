// Who is signed in to the console, with their role, group and locations, and which location
// they are acting at. Read from the session on the server for every page and route handler;
// the location choice (a cookie) is checked against what the user may use.
import "server-only";
import { getDatabase } from "../db";
import { getAuth } from "./auth";
import type { Role } from "./roles";

export const LOCATION_COOKIE = "engage_location";

export interface ConsoleLocation {
  LocationID: number;
  Name: string;
}

export interface ConsoleUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  groupId: number;
  groupName: string;
  /** The locations the user may act at (an Owner: all of the group's). */
  locations: ConsoleLocation[];
  /** Where the user acts now: a location, or null for an Owner acting for the whole group. */
  currentLocationId: number | null;
}

function cookieValue(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return undefined;
}

/** The signed-in, active user, or null. */
export async function getConsoleUser(headers: Headers): Promise<ConsoleUser | null> {
  const auth = await getAuth();
  const session = await auth.api.getSession({ headers });
  if (!session) return null;
  const handle = await getDatabase();
  const user = await handle.db
    .selectFrom("user")
    .innerJoin("groups", "groups.id", "user.groupId")
    .select(["user.id", "user.email", "user.name", "user.role", "user.groupId", "user.active", "groups.name as groupName"])
    .where("user.id", "=", session.user.id)
    .executeTakeFirst();
  if (!user || !user.active) return null;
  const role = user.role as Role;
  const groupId = Number(user.groupId);
  const locations =
    role === "owner"
      ? await handle.db.selectFrom("locations").select(["id", "name"]).where("group_id", "=", groupId).orderBy("id").execute()
      : await handle.db
          .selectFrom("staff_locations")
          .innerJoin("locations", "locations.id", "staff_locations.location_id")
          .select(["locations.id", "locations.name"])
          .where("staff_locations.user_id", "=", user.id)
          .where("locations.group_id", "=", groupId)
          .orderBy("locations.id")
          .execute();
  const list = locations.map((l) => ({ LocationID: l.id, Name: l.name }));
  const chosen = cookieValue(headers.get("cookie"), LOCATION_COOKIE);
  let currentLocationId: number | null = role === "owner" ? null : (list[0]?.LocationID ?? null);
  if (chosen && /^\d+$/.test(chosen) && list.some((l) => l.LocationID === Number(chosen))) currentLocationId = Number(chosen);
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role,
    groupId,
    groupName: user.groupName,
    locations: list,
    currentLocationId,
  };
}
