// The Engage API's core: one request in, one response out. Routing, authentication,
// content negotiation, binding and validation, idempotency and error conversion live here,
// so route handlers (routes.ts) are a few lines each. No framework: node:http and the
// console's in-process client both call handleEngageRequest.
import "server-only";
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { DatabaseHandle } from "../../db";
import type { SendWorker } from "../campaign-sends";
import type { EngageContext } from "../context";
import { EngageError, unauthorized, validationFailed } from "../errors";
import { beginIdempotent, completeIdempotent, requestHash, type StoredResponse } from "../idempotency";
import { buildOpenApiDocument, type OpenApiDocument } from "../openapi/document";
import { bind } from "../schemas/bind";
import { authenticate } from "../tenancy";
import { rateLimitHeaders, type RateLimiter } from "./rate-limit";
import { Router } from "./router";
import type { EngageRequest, EngageResponse } from "./types";

export interface EngageDeps {
  database: DatabaseHandle;
  worker?: SendWorker;
  /** Per-key rate limits: set for requests from the wire (the node adapter), not in-process calls. */
  rateLimiter?: RateLimiter;
  now?: () => number;
  log?: (message: string, error?: unknown) => void;
}

export interface HandlerInput<Q, B> {
  ctx: EngageContext;
  params: Record<string, string>;
  query: Q;
  body: B;
  request: EngageRequest;
  deps: EngageDeps;
}

export interface HandlerResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Runs after the transaction committed (e.g. waking the send worker). */
  after?: () => void;
}

export interface RouteDef<Q = unknown, B = unknown> {
  name: string;
  query?: z.ZodType<Q>;
  /** The body's schema; a route without one takes no body. */
  body?: z.ZodType<B>;
  idempotent?: boolean;
  handler: (input: HandlerInput<Q, B>) => Promise<HandlerResult>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteDef<any, any>;

const JSON_TYPE = "application/json; charset=utf-8";

function errorResponse(error: EngageError, requestId: string): EngageResponse {
  const body: Record<string, unknown> = { Message: error.message, Code: error.code };
  if (error.modelState) body.ModelState = error.modelState;
  if (error.extra) Object.assign(body, error.extra);
  return {
    status: error.status,
    headers: { "content-type": JSON_TYPE, "x-request-id": requestId, ...error.headers },
    body: JSON.stringify(body),
  };
}

/** The secret key: the raw key, as in the guide, or "Bearer <key>". */
export function keyFromAuthorization(header: string | undefined): string | null {
  if (!header) return null;
  const value = header.trim();
  const bearer = /^bearer\s+(.+)$/i.exec(value);
  return (bearer ? bearer[1] : value).trim() || null;
}

function isJson(contentType: string | undefined): boolean {
  if (!contentType) return false;
  return contentType.split(";")[0].trim().toLowerCase() === "application/json";
}

/** No body of the contract nests past a few levels; far deeper JSON would only exhaust the stack of recursive walkers. */
const MAX_JSON_DEPTH = 32;

function nestedTooDeep(value: unknown): boolean {
  if (value === null || typeof value !== "object") return false;
  const stack: [object, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (depth > MAX_JSON_DEPTH) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
    }
  }
  return false;
}

function queryObject(query: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of query) if (!(name in out)) out[name] = value;
  return out;
}

export function createEngageHandler(routes: (router: Router<AnyRoute>) => void) {
  const router = new Router<AnyRoute>();
  routes(router);
  // The API's OpenAPI document, generated once from these routes: public, no key needed.
  let openApiJson: string | null = null;
  const openApi = () => (openApiJson ??= JSON.stringify(buildOpenApiDocument(router.list())));

  /** `out.headers` collects headers every answer carries from then on, errors included. */
  async function execute(
    request: EngageRequest,
    deps: EngageDeps,
    requestId: string,
    out: { headers?: Record<string, string> },
  ): Promise<EngageResponse> {
    const path = request.path.replace(/^\/v1(?=\/|$)/i, "");
    const method = request.method.toUpperCase();
    if ((method === "GET" || method === "HEAD") && /^\/openapi\.json\/?$/i.test(path)) {
      return { status: 200, headers: { "content-type": JSON_TYPE, "x-request-id": requestId }, body: openApi() };
    }
    const match = router.match(method === "HEAD" ? "GET" : method, path);
    if (!match) throw new EngageError(404, "not_found", `No Engage resource at ${request.path}.`);
    if ("allowed" in match) {
      throw new EngageError(405, "method_not_allowed", `${method} is not supported here.`, undefined, undefined, {
        allow: [...new Set(match.allowed)].join(", "),
      });
    }
    const { route, params } = match;
    if (request.bodyTooLarge) throw new EngageError(413, "payload_too_large", "The request body is larger than 1 MiB.");

    const scope = await authenticate(deps.database.db, keyFromAuthorization(request.headers.authorization));
    if (!scope) throw unauthorized();
    if (deps.rateLimiter && scope.keyId !== null) {
      const taken = deps.rateLimiter.take(scope.keyId, scope.rateLimit);
      const decision = taken instanceof Promise ? await taken : taken;
      if (decision) {
        out.headers = rateLimitHeaders(decision);
        if (!decision.allowed) {
          throw new EngageError(
            429,
            "rate_limited",
            `This key has made ${decision.policy.quota} requests in ${decision.policy.windowSeconds} s, its limit. Retry after ${decision.resetSeconds} s.`,
          );
        }
      }
    }

    let query: unknown = undefined;
    if (route.query) {
      const bound = bind(route.query, queryObject(request.query));
      if (!bound.ok) throw validationFailed(bound.modelState);
      query = bound.value;
    }

    let body: unknown = undefined;
    if (route.body) {
      if (request.body === null || request.body.length === 0) {
        throw validationFailed({ "": ["a JSON body is required"] }, "The request body is empty.");
      }
      if (!isJson(request.headers["content-type"])) {
        throw new EngageError(415, "unsupported_media_type", "The Engage API only accepts Content-Type: application/json.");
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(request.body);
      } catch {
        throw new EngageError(400, "invalid_json", "The request body is not valid JSON.");
      }
      if (nestedTooDeep(parsed)) {
        throw new EngageError(400, "invalid_json", `The request body is nested more than ${MAX_JSON_DEPTH} levels deep.`);
      }
      const bound = bind(route.body, parsed);
      if (!bound.ok) throw validationFailed(bound.modelState);
      body = bound.value;
    }

    const now = deps.now ?? Date.now;
    const base: EngageContext = {
      db: deps.database.db,
      dialect: deps.database.dialect,
      scope,
      actor: request.actor ?? { type: "key", id: scope.keyId === null ? null : String(scope.keyId), label: null },
      now,
    };
    const run = async (ctx: EngageContext) => {
      const result = await route.handler({ ctx, params, query, body, request, deps });
      const response: StoredResponse = {
        status: result.status,
        headers: { ...(result.body !== undefined ? { "content-type": JSON_TYPE } : {}), ...result.headers },
        body: result.body === undefined ? null : JSON.stringify(result.body),
      };
      return { response, after: result.after };
    };

    const idemKey = request.headers["idempotency-key"]?.trim();
    if (route.idempotent && idemKey) {
      if (idemKey.length > 255) throw validationFailed({ "Idempotency-Key": ["must be at most 255 characters"] });
      // The parsed body, re-serialized: a retry that encodes the same JSON differently is the same request.
      const hash = requestHash(method, path, request.body ? JSON.stringify(JSON.parse(request.body)) : "");
      const outcome = await deps.database.db.transaction().execute(async (trx) => {
        const ctx = { ...base, db: trx };
        const replay = await beginIdempotent(ctx, idemKey, hash);
        if (replay) return { response: replay, replayed: true, after: undefined };
        const { response, after } = await run(ctx);
        await completeIdempotent(ctx, idemKey, response);
        return { response, replayed: false, after };
      });
      outcome.after?.();
      return {
        ...outcome.response,
        headers: {
          ...outcome.response.headers,
          "x-request-id": requestId,
          ...(outcome.replayed ? { "idempotent-replayed": "true" } : {}),
        },
      };
    }
    const { response, after } = await run(base);
    after?.();
    return { ...response, headers: { ...response.headers, "x-request-id": requestId } };
  }

  async function handleEngageRequest(request: EngageRequest, deps: EngageDeps): Promise<EngageResponse> {
    const requestId = request.headers["x-request-id"]?.slice(0, 64) || randomUUID();
    const out: { headers?: Record<string, string> } = {};
    try {
      const response = await execute(request, deps, requestId, out);
      if (out.headers) Object.assign(response.headers, out.headers);
      return request.method.toUpperCase() === "HEAD" ? { ...response, body: null } : response;
    } catch (error) {
      if (error instanceof EngageError) {
        const response = errorResponse(error, requestId);
        if (out.headers) Object.assign(response.headers, out.headers);
        return response;
      }
      (deps.log ?? defaultLog)(`[engage] ${requestId} ${request.method} ${request.path} failed`, error);
      return errorResponse(
        new EngageError(500, "internal_error", `An unexpected error occurred. Quote request id ${requestId} to support.`),
        requestId,
      );
    }
  }

  return { handleEngageRequest, routes: () => router.list(), openApi: () => JSON.parse(openApi()) as OpenApiDocument };
}

function defaultLog(message: string, error?: unknown): void {
  console.error(message, error);
}

/** X-Total-Count and a Link header with rel="next"/"prev", keeping the request's other parameters. */
export function pagingHeaders(
  request: EngageRequest,
  { total, page, pageSize }: { total: number; page: number; pageSize: number },
): Record<string, string> {
  const links: string[] = [];
  const link = (p: number, rel: string) => {
    const q = new URLSearchParams();
    for (const [name, value] of request.query) {
      const lower = name.toLowerCase();
      if (lower !== "page" && lower !== "pagesize") q.append(name, value);
    }
    q.set("Page", String(p));
    q.set("PageSize", String(pageSize));
    links.push(`<${request.path}?${q.toString()}>; rel="${rel}"`);
  };
  if (page * pageSize < total) link(page + 1, "next");
  if (page > 1) link(page - 1, "prev");
  const headers: Record<string, string> = { "x-total-count": String(total) };
  if (links.length > 0) headers.link = links.join(", ");
  return headers;
}
