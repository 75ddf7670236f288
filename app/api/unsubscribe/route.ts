// An email's unsubscribe address: the RFC 8058 one-click POST (and the page's button); a GET,
// from a person who opened it in a browser, goes to the page, which asks first.
import { getDatabase } from "@/lib/db";
import { handleUnsubscribeGet, handleUnsubscribePost } from "@/lib/engage/notifications/hooks";

export async function POST(request: Request): Promise<Response> {
  return handleUnsubscribePost(request, await getDatabase());
}

export function GET(request: Request): Response {
  return handleUnsubscribeGet(request);
}
