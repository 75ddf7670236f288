// Typed errors of the Engage platform. Verbs throw them; the HTTP layer turns each into the
// contract's error body: {"Message", "Code", "ModelState"?}. Codes never change; messages may.
import type { ModelState } from "./schemas/bind";

export type ErrorCode =
  | "invalid_json"
  | "validation_failed"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "method_not_allowed"
  | "conflict"
  | "idempotency_in_flight"
  | "payload_too_large"
  | "unsupported_media_type"
  | "idempotency_key_reused"
  | "rate_limited"
  | "internal_error";

export class EngageError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly modelState?: ModelState,
    readonly extra?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "EngageError";
  }
}

export const validationFailed = (modelState: ModelState, message = "The request is invalid.") =>
  new EngageError(400, "validation_failed", message, modelState);

export const invalidField = (field: string, problem: string) => validationFailed({ [field]: [problem] });

export const notFound = (what: string) => new EngageError(404, "not_found", `${what} was not found.`);

export const forbidden = (message: string) => new EngageError(403, "forbidden", message);

export const unauthorized = () =>
  new EngageError(401, "unauthorized", "Authorization has been denied for this request.");

/** A uniqueness conflict that names the property and the customer who already has the value. */
export const conflict = (property: string, message: string, extra?: Record<string, unknown>) =>
  new EngageError(409, "conflict", message, { [property]: [message] }, extra);
