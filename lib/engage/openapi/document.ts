// The OpenAPI 3.1 document of the Engage API, generated from what serves it: the router's
// routes with the very zod schemas that bind and validate their query and body, the response
// schemas (schemas/responses.ts) and the documentation table (operations.ts). Served at
// GET /v1/openapi.json; the API tests hold every response to it (testing/contract.ts).
import { z } from "zod";
import type { ZodType } from "zod";
import * as wire from "../schemas/responses";
import { API_DESCRIPTION, FIELD_NOTES, HEADER_DOCS, OPERATIONS, PARAMETER_NOTES, TAGS, type OperationDoc, type ResponseDoc } from "./operations";

type JsonSchema = Record<string, unknown>;

/** What the document needs of a route: the router's list() entries. */
export interface DocumentedRoute {
  method: string;
  pattern: string;
  route: { name: string; query?: ZodType; body?: ZodType; idempotent?: boolean };
}

/** Response schemas, by component name. */
export const RESPONSE_SCHEMAS: Record<string, ZodType> = {
  Error: wire.errorResponse,
  Customer: wire.customerResponse,
  ConsentChange: wire.consentChangeResponse,
  Receipt: wire.receiptResponse,
  Redemption: wire.redemptionResponse,
  Offer: wire.offerResponse,
  Campaign: wire.campaignResponse,
  CampaignWithStats: wire.campaignWithStatsResponse,
  CampaignRecipient: wire.campaignRecipientResponse,
  CampaignPreview: wire.campaignPreviewResponse,
  CustomerExport: wire.customerExportResponse,
  ErasedCustomer: wire.erasedCustomerResponse,
  Automation: wire.automationResponse,
  ReportSummary: wire.reportSummaryResponse,
  ReportDaily: wire.reportDailyResponse,
  Notification: wire.notificationResponse,
  NotificationDetail: wire.notificationDetailResponse,
};

/** Engage's path prefix: the document's server, so paths read as in the guide (/Customers). */
export const API_BASE = "/v1";

const GENERIC_ERRORS: Record<number, { description: string; example: { Message: string; Code: string; ModelState?: Record<string, string[]> } }> = {
  400: {
    description: "Invalid input: malformed JSON (`invalid_json`) or a value that breaks a rule (`validation_failed`, with `ModelState` naming each property).",
    example: { Message: "The request is invalid.", Code: "validation_failed", ModelState: { "Skus[0].Quantity": ["must be greater than 0"] } },
  },
  401: {
    description: "The key is missing, unknown or revoked (the same answer for all three).",
    example: { Message: "Authorization has been denied for this request.", Code: "unauthorized" },
  },
  403: {
    description: "The key is known but may not do this.",
    example: { Message: "Only the holding business (a group key) may create group campaigns.", Code: "forbidden" },
  },
  404: {
    description: "No such resource in the key's group (another group's ids answer the same).",
    example: { Message: "Customer 123 was not found.", Code: "not_found" },
  },
  409: {
    description: "A request with the same `Idempotency-Key` is still in flight (`idempotency_in_flight`).",
    example: { Message: "A request with this Idempotency-Key is still in progress.", Code: "idempotency_in_flight" },
  },
  413: {
    description: "The body is larger than 1 MiB.",
    example: { Message: "The request body is larger than 1 MiB.", Code: "payload_too_large" },
  },
  415: {
    description: "The body is not `Content-Type: application/json`.",
    example: { Message: "The Engage API only accepts Content-Type: application/json.", Code: "unsupported_media_type" },
  },
  422: {
    description: "The `Idempotency-Key` was used before with another body.",
    example: { Message: "This Idempotency-Key was already used with a different request.", Code: "idempotency_key_reused" },
  },
  429: {
    description: "The key's rate limit is used up; retry after `Retry-After` seconds.",
    example: { Message: "This key has made 600 requests in 60 s, its limit. Retry after 12 s.", Code: "rate_limited" },
  },
  500: {
    description: "An unexpected error; the Message quotes the request id for support. Never a stack trace.",
    example: { Message: "An unexpected error occurred. Quote request id 6f1c… to support.", Code: "internal_error" },
  },
};

/**
 * `anyOf: [{type: T, …}, {type: "null"}]` (zod's nullable) as `{type: [T, "null"], …}`: the same
 * schema, in the form OpenAPI 3.1 tools render as "T | null" (Scalar's own validator refuses
 * some of the anyOf forms).
 */
function simplifyNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(simplifyNullable);
  if (node === null || typeof node !== "object") return node;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) out[key] = key === "examples" || key === "example" ? value : simplifyNullable(value);
  const anyOf = out.anyOf as JsonSchema[] | undefined;
  if (Array.isArray(anyOf) && anyOf.length === 2) {
    const nullIndex = anyOf.findIndex((b) => b.type === "null" && Object.keys(b).length === 1);
    const other = anyOf[1 - nullIndex];
    if (nullIndex !== -1 && typeof other.type === "string" && !("$ref" in other)) {
      delete out.anyOf;
      const merged: JsonSchema = { ...other, ...out, type: [other.type, "null"] };
      if (Array.isArray(other.enum)) merged.enum = [...(other.enum as unknown[]), null];
      return merged;
    }
  }
  return out;
}

/** A zod schema as JSON Schema 2020-12, without the top-level `$schema`. */
function toJsonSchema(schema: ZodType, io: "input" | "output"): JsonSchema {
  const json = simplifyNullable(z.toJSONSchema(schema, { io, target: "draft-2020-12", unrepresentable: "any" })) as JsonSchema;
  delete json.$schema;
  return json;
}

function describeProperties(schema: JsonSchema, notes: Record<string, string> | undefined): JsonSchema {
  if (!notes) return schema;
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  if (properties) {
    for (const [name, note] of Object.entries(notes)) {
      if (properties[name]) properties[name] = { ...properties[name], description: note };
    }
  }
  return schema;
}

function responseComponents(): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(RESPONSE_SCHEMAS)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    io: "output",
    target: "draft-2020-12",
    unrepresentable: "any",
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, JsonSchema> };
  const out: Record<string, JsonSchema> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    out[id] = simplifyNullable(schema) as JsonSchema;
    delete out[id].$schema;
    delete out[id].$id;
  }
  return out;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function responseObject(status: number, doc: ResponseDoc | undefined): JsonSchema {
  const generic = GENERIC_ERRORS[status];
  const description = doc?.description ?? generic?.description ?? `HTTP ${status}.`;
  const out: JsonSchema = { description };
  const headers: Record<string, JsonSchema> = {};
  for (const name of doc?.headers ?? []) headers[name] = { $ref: `#/components/headers/${name}` };
  if (status === 429) headers["Retry-After"] = { $ref: "#/components/headers/Retry-After" };
  if (Object.keys(headers).length > 0) out.headers = headers;
  if (status === 204) return out;
  const body = doc?.body ?? (status >= 400 ? { ref: "Error" } : undefined);
  if (!body) return out;
  const schema = "arrayOf" in body ? { type: "array", items: ref(body.arrayOf) } : ref(body.ref);
  const media: JsonSchema = { schema };
  const examples = doc?.examples ?? (generic ? { error: { summary: generic.description.split(" (")[0].split(":")[0], value: generic.example } } : undefined);
  if (examples) media.examples = examples;
  out.content = { "application/json": media };
  return out;
}

/** The statuses every operation of this shape can answer, beyond its own. */
function genericStatuses(route: DocumentedRoute["route"], pattern: string): number[] {
  const statuses = [401, 429, 500];
  if (route.query || route.body || route.idempotent) statuses.push(400);
  if (pattern.includes("{")) statuses.push(404);
  if (route.body) statuses.push(413, 415);
  if (route.idempotent) statuses.push(409, 422);
  return statuses;
}

function pathParameters(pattern: string, doc: OperationDoc): JsonSchema[] {
  return [...pattern.matchAll(/\{([^}]+)\}/g)].map(([, name]) => {
    const own = doc.pathParams?.[name];
    return {
      name,
      in: "path",
      required: true,
      description: own?.description ?? PARAMETER_NOTES[name] ?? name,
      schema: own?.schema ?? { type: "integer", minimum: 1 },
      ...(own?.example !== undefined ? { example: own.example } : {}),
    };
  });
}

function queryParameters(query: ZodType | undefined, doc: OperationDoc): JsonSchema[] {
  if (!query) return [];
  const json = toJsonSchema(query, "input");
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries((json.properties ?? {}) as Record<string, JsonSchema>).map(([name, schema]) => ({
    name,
    in: "query",
    required: required.has(name),
    description: doc.query?.[name] ?? PARAMETER_NOTES[name] ?? name,
    schema,
  }));
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, JsonSchema>>;
  components: { schemas: Record<string, JsonSchema> } & Record<string, unknown>;
  [key: string]: unknown;
}

/** The document for these routes; a route without an entry in OPERATIONS is left out (the contract test fails on it). */
export function buildOpenApiDocument(routes: DocumentedRoute[]): OpenApiDocument {
  const schemas = responseComponents();
  const requestNames = new Map<ZodType, string>();
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const usedTags = new Set<string>();

  for (const { method, pattern, route } of routes) {
    const doc = OPERATIONS[route.name];
    if (!doc) continue;
    usedTags.add(doc.tag);
    const operation: JsonSchema = {
      operationId: route.name,
      tags: [doc.tag],
      summary: doc.summary,
      description: doc.description,
    };
    const parameters = [...pathParameters(pattern, doc), ...queryParameters(route.query, doc)];
    if (route.idempotent) parameters.push({ $ref: "#/components/parameters/IdempotencyKey" });
    if (parameters.length > 0) operation.parameters = parameters;

    if (route.body) {
      let name = requestNames.get(route.body);
      if (!name) {
        name = doc.request?.name ?? `${route.name[0].toUpperCase()}${route.name.slice(1)}Request`;
        requestNames.set(route.body, name);
        schemas[name] = describeProperties(toJsonSchema(route.body, "input"), FIELD_NOTES[name]);
        if (doc.request?.description) schemas[name].description = doc.request.description;
      }
      operation.requestBody = {
        required: true,
        content: { "application/json": { schema: ref(name), ...(doc.request?.examples ? { examples: doc.request.examples } : {}) } },
      };
    }

    const statuses = new Set([...Object.keys(doc.responses).map(Number), ...genericStatuses(route, pattern)]);
    const responses: Record<string, JsonSchema> = {};
    for (const status of [...statuses].sort((a, b) => a - b)) {
      responses[String(status)] = responseObject(status, doc.responses[status]);
    }
    operation.responses = responses;
    if (doc.extension) operation["x-engage-extension"] = true;
    (paths[pattern] ??= {})[method.toLowerCase()] = operation;
  }

  return {
    openapi: "3.1.0",
    info: {
      title: "Engage API",
      version: "1.0.0",
      summary: "Loyalty customers, receipts, offers and campaigns for point-of-sale systems.",
      description: API_DESCRIPTION,
      license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" },
    },
    servers: [{ url: API_BASE, description: "This server" }],
    security: [{ ApiKey: [] }],
    tags: TAGS.filter((t) => usedTags.has(t.name)),
    paths,
    components: {
      schemas,
      securitySchemes: {
        ApiKey: {
          type: "apiKey",
          in: "header",
          name: "Authorization",
          description:
            "Your secret key, raw, as in the guide: `Authorization: eng_loc_…` (a location key) or `eng_grp_…` (the group key). `Authorization: Bearer <key>` is accepted too. An Owner creates keys in the console: Settings → Developers.",
        },
      },
      parameters: {
        IdempotencyKey: {
          name: "Idempotency-Key",
          in: "header",
          required: false,
          description:
            "Any unique string (at most 255 characters), such as a UUID. Retrying with the same key and the same body within 24 hours returns the first response again (with `Idempotent-Replayed: true`) and stores nothing new.",
          schema: { type: "string", maxLength: 255 },
        },
      },
      headers: HEADER_DOCS,
    },
  };
}
