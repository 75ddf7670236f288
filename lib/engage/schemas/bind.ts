// Binding as ASP.NET Web API does it: property names match case-insensitively and unknown
// properties are dropped. Then validation, with failures keyed by PascalCase property path.
import { z } from "zod";

export type ModelState = Record<string, string[]>;

type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  schema?: z.ZodType;
};

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** The object or array schema under optional/nullable/default/pipe wrappers, if any. */
function structural(schema: z.ZodType): z.ZodType | null {
  let current: z.ZodType | undefined = schema;
  for (let i = 0; current && i < 10; i++) {
    const def = defOf(current);
    if (def.type === "object" || def.type === "array") return current;
    current = def.innerType ?? def.in ?? def.schema;
  }
  return null;
}

// Both looked up once per schema: every request of a route binds with the same schemas.
const structuralOf = new WeakMap<z.ZodType, z.ZodType | null>();
const namesOf = new WeakMap<object, Map<string, string>>();

/** Renames the input's properties to the schema's spelling, recursively. */
export function bindNames(schema: z.ZodType, value: unknown): unknown {
  let target = structuralOf.get(schema);
  if (target === undefined) structuralOf.set(schema, (target = structural(schema)));
  if (!target || value === null || typeof value !== "object") return value;
  const def = defOf(target);
  if (def.type === "array") {
    return Array.isArray(value) && def.element ? value.map((v) => bindNames(def.element!, v)) : value;
  }
  if (Array.isArray(value) || !def.shape) return value;
  let byLower = namesOf.get(def.shape);
  if (byLower === undefined) {
    byLower = new Map<string, string>();
    for (const key of Object.keys(def.shape)) byLower.set(key.toLowerCase(), key);
    namesOf.set(def.shape, byLower);
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const canonical = byLower.get(key.toLowerCase());
    // An exact spelling wins over another casing of the same name.
    if (canonical && (!(canonical in out) || key === canonical)) {
      out[canonical] = bindNames(def.shape[canonical], v);
    }
  }
  return out;
}

export function pathToKey(path: readonly PropertyKey[]): string {
  let key = "";
  for (const part of path) {
    if (typeof part === "number") key += `[${part}]`;
    else key += key === "" ? String(part) : `.${String(part)}`;
  }
  return key;
}

export function modelStateOf(error: z.ZodError): ModelState {
  const state: ModelState = {};
  for (const issue of error.issues) {
    const key = pathToKey(issue.path);
    (state[key] ??= []).push(issue.message);
  }
  return state;
}

/** zod's messages, reworded where a missing value would otherwise read as a type error. */
const errorMap: z.core.$ZodErrorMap = (issue) => {
  if (issue.input === undefined && issue.code === "invalid_type") return "is required";
  if (issue.input === null && issue.code === "invalid_type") return "must not be null";
  if (issue.code === "invalid_type" && issue.expected === "object") return "must be a JSON object";
  return undefined;
};

export type BindResult<T> = { ok: true; value: T } | { ok: false; modelState: ModelState };

/** Paths of strings holding NUL: never meaningful, and PostgreSQL refuses them in text. */
function nulPaths(value: unknown, path: (string | number)[] = [], found: ModelState = {}): ModelState {
  if (typeof value === "string") {
    if (value.includes("\u0000")) found[pathToKey(path)] = ["must not contain control characters"];
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => nulPaths(v, [...path, i], found));
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) nulPaths(v, [...path, k], found);
  }
  return found;
}

/** Whether any string in the value holds NUL (the paths are found only then). */
function hasNul(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (Array.isArray(value)) return value.some(hasNul);
  if (value !== null && typeof value === "object") return Object.values(value).some(hasNul);
  return false;
}

export function bind<S extends z.ZodType>(schema: S, input: unknown): BindResult<z.output<S>> {
  const bound = bindNames(schema, input);
  if (hasNul(bound)) {
    const nul = nulPaths(bound);
    if (Object.keys(nul).length > 0) return { ok: false, modelState: nul };
  }
  // Without the error map first: zod parses ~twice as fast without options, and the map only
  // words the failures, which are parsed again with it.
  const parsed = schema.safeParse(bound);
  if (parsed.success) return { ok: true, value: parsed.data };
  const result = schema.safeParse(bound, { error: errorMap });
  return result.success ? { ok: true, value: result.data } : { ok: false, modelState: modelStateOf(result.error) };
}
