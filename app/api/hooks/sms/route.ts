// The SMS provider's inbound-message webhook (Twilio's form POST): STOP, START and HELP replies.
import { getDatabase } from "@/lib/db";
import { handleInboundSms } from "@/lib/engage/notifications/hooks";

export async function POST(request: Request): Promise<Response> {
  return handleInboundSms(request, await getDatabase());
}
