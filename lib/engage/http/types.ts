// The Engage API's framework-independent request and response: the core maps one to the
// other; adapters (node:http, the console's in-process client) only translate.
export interface EngageRequest {
  method: string;
  /** The path as sent, starting with /v1 (any case). */
  path: string;
  query: URLSearchParams;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  /** The raw body, or null when there was none. */
  body: string | null;
  /** Set by the adapter when the body was over the limit: answered 413 before any work. */
  bodyTooLarge?: boolean;
  /**
   * The person behind an in-process call (the console's staff user), recorded with consent
   * changes instead of the key. Never read from the wire: the node adapter does not set it.
   */
  actor?: { type: "user"; id: string; label: string };
}

export interface EngageResponse {
  status: number;
  headers: Record<string, string>;
  body: string | null;
}

export const MAX_BODY_BYTES = 1024 * 1024;
