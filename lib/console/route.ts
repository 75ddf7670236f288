// One wrapper for every console route handler: CSRF checks on state-changing requests, the
// session, the role's permission, JSON parsing, error conversion and no-store caching, so a
// handler's body is a few lines. Authorization happens here and in the verbs, never only in
// the proxy (middleware).
import "server-only";
import { EngageError } from "../engage/errors";
import { EngageUnavailableError } from "./engage-client";
import { can, type Permission } from "./roles";
import { getConsoleUser, type ConsoleUser } from "./session";

export const NO_STORE = "private, no-store";

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: {
      ...(body === undefined ? {} : { "content-type": "application/json; charset=utf-8" }),
      "cache-control": NO_STORE,
      ...headers,
    },
  });
}

export function errorResponse(status: number, code: string, message: string, modelState?: Record<string, string[]>): Response {
  return jsonResponse({ Message: message, Code: code, ...(modelState ? { ModelState: modelState } : {}) }, status);
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** A state-changing request must come from our own pages: same origin, and JSON (no simple cross-site form). */
export function csrfProblem(request: Request): Response | null {
  if (SAFE_METHODS.has(request.method)) return null;
  const site = request.headers.get("sec-fetch-site");
  if (site && site !== "same-origin") return errorResponse(403, "forbidden", "Cross-site requests are refused.");
  const origin = request.headers.get("origin");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (!origin || !host) return errorResponse(403, "forbidden", "The request's origin is missing.");
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return errorResponse(403, "forbidden", "The request's origin is invalid.");
  }
  if (originHost !== host) return errorResponse(403, "forbidden", "Cross-site requests are refused.");
  const type = request.headers.get("content-type")?.split(";")[0].trim().toLowerCase();
  if (type !== "application/json") return errorResponse(415, "unsupported_media_type", "Send application/json.");
  return null;
}

export interface RouteContext<P> {
  user: ConsoleUser;
  request: Request;
  params: P;
  body: unknown;
}

/** The body as text, or null once it is longer than max bytes (read no further than that). */
async function readBody(request: Request, max: number): Promise<string | null> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > max) return null;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function consoleRoute<P = Record<string, never>>(options: {
  permission?: Permission | null;
  /** A larger body is refused with 413 and this message before it is read whole (a file upload's route sets it). */
  maxBody?: { bytes: number; message: string };
  handler: (context: RouteContext<P>) => Promise<Response>;
}) {
  return async function route(request: Request, context: { params: Promise<P> }): Promise<Response> {
    try {
      const csrf = csrfProblem(request);
      if (csrf) return csrf;
      const user = await getConsoleUser(request.headers);
      if (!user) return errorResponse(401, "unauthorized", "Sign in to continue.");
      if (options.permission && !can(user.role, options.permission)) {
        return errorResponse(403, "forbidden", "Your role does not allow this.");
      }
      let body: unknown = undefined;
      if (!SAFE_METHODS.has(request.method)) {
        const text = options.maxBody ? await readBody(request, options.maxBody.bytes) : await request.text();
        if (text === null) return errorResponse(413, "payload_too_large", options.maxBody!.message);
        if (text.length > 0) {
          try {
            body = JSON.parse(text);
          } catch {
            return errorResponse(400, "invalid_json", "The request body is not valid JSON.");
          }
        }
      }
      return await options.handler({ user, request, params: await context.params, body });
    } catch (error) {
      if (error instanceof EngageError) {
        return errorResponse(error.status, error.code, error.message, error.modelState);
      }
      if (error instanceof EngageUnavailableError) {
        return errorResponse(error.status, "engage_unavailable", error.message);
      }
      const id = crypto.randomUUID();
      console.error(`[console] ${id} ${request.method} ${new URL(request.url).pathname} failed`, error);
      return errorResponse(500, "internal_error", `Something went wrong on our side. Quote ${id} to support.`);
    }
  };
}
