// First run: is setup needed, and do it (only while the database has no group).
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
    return jsonResponse(await runSetup(body), 201);
  } catch (error) {
    if (error instanceof EngageError) return errorResponse(error.status, error.code, error.message, error.modelState);
    throw error;
  }
}
