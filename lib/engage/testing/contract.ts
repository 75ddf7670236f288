// The contract test's checker: holds one API response to the OpenAPI document — the status
// must be documented for the route, the body must match that status's schema, a documented
// required header must be present. The test harness runs it on every response it sees.
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { API_BASE, type OpenApiDocument } from "../openapi/document";

type JsonSchema = Record<string, unknown>;

interface Operation {
  template: string;
  matcher: RegExp;
  params: number;
  method: string;
  responses: Record<string, { content?: Record<string, { schema: JsonSchema }>; headers?: Record<string, { $ref?: string; required?: boolean }> }>;
}

export interface Contract {
  /** Throws a ContractViolation when the response breaks the document; undocumented routes pass (see contract.test.ts). */
  check(response: { method: string; path: string; status: number; headers: Headers; text: string }): void;
  /** The operation documented for a request, or null. */
  operationFor(method: string, path: string): { template: string; method: string } | null;
}

export class ContractViolation extends Error {
  override readonly name = "ContractViolation";
}

// ajv-formats is CommonJS: its plugin is the module itself or its default, by loader.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as typeof addFormatsModule;

const DOC_ID = "https://engage.invalid/openapi.json";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function createContract(doc: OpenApiDocument): Contract {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: DOC_ID, components: doc.components });
  const validators = new Map<string, ValidateFunction>();

  const operations: Operation[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    const segments = template.split("/").filter(Boolean);
    const pattern = segments.map((s) => (s.startsWith("{") ? "[^/]+" : escapeRegExp(s))).join("/");
    for (const [method, operation] of Object.entries(item)) {
      operations.push({
        template,
        matcher: new RegExp(`^/${pattern}/?$`, "i"),
        params: segments.filter((s) => s.startsWith("{")).length,
        method: method.toUpperCase(),
        responses: operation.responses as Operation["responses"],
      });
    }
  }
  // Like the router: a literal segment wins over a parameter (/Campaigns/Location over /Campaigns/{CampaignID}).
  operations.sort((a, b) => a.params - b.params);

  const base = new RegExp(`^${escapeRegExp(API_BASE)}(?=/|$)`, "i");

  function find(method: string, path: string): Operation | null {
    const bare = path.split("?")[0];
    if (!base.test(bare)) return null;
    const rest = bare.replace(base, "") || "/";
    const wanted = method.toUpperCase() === "HEAD" ? "GET" : method.toUpperCase();
    return operations.find((o) => o.method === wanted && o.matcher.test(rest)) ?? null;
  }

  function validator(schema: JsonSchema): ValidateFunction {
    const text = JSON.stringify(schema).replaceAll('"#/components/', `"${DOC_ID}#/components/`);
    let validate = validators.get(text);
    if (!validate) {
      validate = ajv.compile(JSON.parse(text) as JsonSchema);
      validators.set(text, validate);
    }
    return validate;
  }

  return {
    operationFor(method, path) {
      const op = find(method, path);
      return op ? { template: op.template, method: op.method } : null;
    },
    check({ method, path, status, headers, text }) {
      const op = find(method, path);
      if (!op) return;
      const where = `${method.toUpperCase()} ${path} → ${status}`;
      const documented = op.responses[String(status)];
      if (!documented) {
        throw new ContractViolation(
          `${where}: status ${status} is not documented for ${op.method} ${op.template} (documented: ${Object.keys(op.responses).join(", ")}). Body: ${text.slice(0, 300)}`,
        );
      }
      for (const [name, header] of Object.entries(documented.headers ?? {})) {
        const required = header.required ?? (header.$ref ? (doc.components.headers as Record<string, { required?: boolean }>)[header.$ref.split("/").pop()!]?.required : false);
        if (required && !headers.has(name)) throw new ContractViolation(`${where}: the documented header ${name} is missing.`);
      }
      if (method.toUpperCase() === "HEAD") return;
      const media = documented.content?.["application/json"];
      if (!media) {
        if (text.length > 0) throw new ContractViolation(`${where}: the document says no body, but the server sent: ${text.slice(0, 300)}`);
        return;
      }
      const type = headers.get("content-type") ?? "";
      if (type.split(";")[0].trim().toLowerCase() !== "application/json") {
        throw new ContractViolation(`${where}: Content-Type is "${type}", the document says application/json.`);
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new ContractViolation(`${where}: the body is not JSON: ${text.slice(0, 300)}`);
      }
      const validate = validator(media.schema);
      if (!validate(body)) {
        const problems = (validate.errors ?? [])
          .slice(0, 8)
          .map((e) => `${e.instancePath || "(body)"} ${e.message}${e.params && "additionalProperty" in e.params ? ` (${String(e.params.additionalProperty)})` : ""}`)
          .join("; ");
        throw new ContractViolation(`${where}: the body does not match the document (${op.method} ${op.template}, ${status}): ${problems}. Body: ${text.slice(0, 300)}`);
      }
    },
  };
}

/** Every example in the document, validated against its schema: [where, problem] pairs. */
export function invalidExamples(doc: OpenApiDocument): [string, string][] {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: DOC_ID, components: doc.components });
  const problems: [string, string][] = [];
  const check = (where: string, schema: JsonSchema, examples: Record<string, { value: unknown }> | undefined) => {
    if (!examples) return;
    const validate = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', `"${DOC_ID}#/components/`)) as JsonSchema);
    for (const [name, example] of Object.entries(examples)) {
      if (!validate(example.value)) problems.push([`${where} example ${name}`, ajv.errorsText(validate.errors)]);
    }
  };
  for (const [template, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const operation = op as {
        requestBody?: { content: Record<string, { schema: JsonSchema; examples?: Record<string, { value: unknown }> }> };
        responses: Record<string, { content?: Record<string, { schema: JsonSchema; examples?: Record<string, { value: unknown }> }> }>;
      };
      const request = operation.requestBody?.content["application/json"];
      if (request) check(`${method.toUpperCase()} ${template} request`, request.schema, request.examples);
      for (const [status, response] of Object.entries(operation.responses)) {
        const media = response.content?.["application/json"];
        if (media) check(`${method.toUpperCase()} ${template} ${status}`, media.schema, media.examples);
      }
    }
  }
  return problems;
}
