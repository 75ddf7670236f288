// The signed-in user for the console's layout and pages, read once per request (React cache),
// and the gate every page passes: no session → first-run setup or sign-in (back here after).
import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getConsoleUser, type ConsoleUser } from "@/lib/console/session";
import { setupNeeded } from "@/lib/console/setup";

export const currentUser = cache(async (): Promise<ConsoleUser | null> => getConsoleUser(await headers()));

/** Only same-site paths: "/x" but never "//evil.example" or "/\evil.example". */
export function safeNextPath(next: string | string[] | undefined | null): string {
  const value = Array.isArray(next) ? next[0] : next;
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/";
  return value;
}

/** The user, or a redirect: to /setup on an empty database, else to sign-in and back to `path`. */
export async function requireUser(path: string): Promise<ConsoleUser> {
  const user = await currentUser();
  if (user) return user;
  if (await setupNeeded()) redirect("/setup");
  redirect(path === "/" ? "/sign-in" : `/sign-in?next=${encodeURIComponent(safeNextPath(path))}`);
}
