// The browser's one way to call the console's JSON routes (/api/…): a typed result, or an
// ApiError carrying the server's Message, Code and ModelState; the caller's AbortSignal is
// passed on so React Query can cancel what it no longer needs.
export type ModelState = Record<string, string[]>;

export class ApiError extends Error {
  override readonly name = "ApiError";

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly modelState?: ModelState,
    /** The whole parsed error body, for properties beyond these (a 409's ExistingCustomerID). */
    readonly body?: Record<string, unknown>,
  ) {
    super(message);
  }

  /** Engage (embedded or remote) could not answer: show the message and offer a retry. */
  get engageUnavailable(): boolean {
    return this.code === "engage_unavailable" && (this.status === 502 || this.status === 503 || this.status === 504);
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

export interface ApiRequest {
  method?: "GET" | "POST" | "PUT" | "DELETE";
  body?: unknown;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

function toApiError(status: number, data: unknown): ApiError {
  if (data && typeof data === "object") {
    const { Message, Code, ModelState } = data as { Message?: unknown; Code?: unknown; ModelState?: unknown };
    if (typeof Message === "string") {
      return new ApiError(
        status,
        typeof Code === "string" ? Code : "error",
        Message,
        ModelState && typeof ModelState === "object" ? (ModelState as ModelState) : undefined,
        data as Record<string, unknown>,
      );
    }
  }
  if (status === 401) return new ApiError(status, "unauthorized", "Your session has ended. Sign in again.");
  if (status === 403) return new ApiError(status, "forbidden", "Your role does not allow this.");
  if (status === 404) return new ApiError(status, "not_found", "That was not found.");
  if (status === 429) return new ApiError(status, "rate_limited", "Too many requests. Wait a minute and try again.");
  return new ApiError(status, "error", `The console answered with an unexpected error (${status}). Try again.`);
}

/** The response's parsed JSON body (undefined when empty) and its headers; throws ApiError. */
async function request(path: string, { method = "GET", body, signal, headers }: ApiRequest): Promise<{ data: unknown; headers: Headers }> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      signal,
      credentials: "same-origin",
      cache: "no-store",
      headers: {
        accept: "application/json",
        // State-changing console routes accept JSON only (a cross-site form cannot send it).
        ...(method === "GET" ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, "network_error", "The console could not be reached. Check your connection and try again.");
  }
  const text = response.status === 204 ? "" : await response.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!response.ok) throw toApiError(response.status, data);
  return { data, headers: response.headers };
}

export async function apiFetch<T>(path: string, init: ApiRequest = {}): Promise<T> {
  return (await request(path, init)).data as T;
}

/** One page of an Engage list: its items, and the total from X-Total-Count. */
export interface Paged<T> {
  items: T[];
  total: number;
}

/** A paged Engage list through the console's proxy (a JSON array plus X-Total-Count). */
export async function apiFetchPage<T>(path: string, init: ApiRequest = {}): Promise<Paged<T>> {
  const { data, headers } = await request(path, init);
  const items = Array.isArray(data) ? (data as T[]) : [];
  const total = Number(headers.get("x-total-count"));
  return { items, total: Number.isFinite(total) && headers.has("x-total-count") ? total : items.length };
}
