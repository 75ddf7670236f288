// better-auth's endpoints: sign in, sign out, session, change password (throttled in the database).
import { getAuth } from "@/lib/console/auth";

async function handle(request: Request): Promise<Response> {
  const response = await (await getAuth()).handler(request);
  response.headers.set("cache-control", "private, no-store");
  return response;
}

export const GET = handle;
export const POST = handle;
