// First run: is setup needed, and do it (only while the database has no group).
import { getDatabase } from "@/lib/db";
import { consoleWho, recordAudit } from "@/lib/console/audit";
import { csrfProblem, errorResponse, jsonResponse } from "@/lib/console/route";
import { runSetup, setupNeeded } from "@/lib/console/setup";
import { EngageError } from "@/lib/engage/errors";

export async function GET(): Promise<Response> {
  return jsonResponse({ Needed: await setupNeeded() });
}

export async function POST(request: Request): Promise<Response> {
  const csrf = csrfProblem(request);
  if (csrf) return csrf;
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return errorResponse(400, "invalid_json", "The request body is not valid JSON.");
  }
  try {
    const created = await runSetup(body);
    const input = body as { GroupName: string; Email: string; Locations: string[] };
    await recordAudit((await getDatabase()).db, consoleWho({ id: null, email: input.Email.trim().toLowerCase(), role: "owner" }, request), {
      groupId: created.GroupID,
      action: "group.create",
      target: { type: "group", id: created.GroupID },
      details: { Name: input.GroupName, Locations: input.Locations.length },
    });
    return jsonResponse(created, 201);
  } catch (error) {
    if (error instanceof EngageError) return errorResponse(error.status, error.code, error.message, error.modelState);
    throw error;
  }
}
