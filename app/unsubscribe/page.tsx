// The page an email's unsubscribe link opens: it names the business and the (masked) address
// and asks before turning AcceptsEmail off, so a mail scanner that follows links changes
// nothing. The button is a plain form POST: it works without JavaScript.
import type { Metadata } from "next";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { getDatabase } from "@/lib/db";
import { findUnsubscribeTarget } from "@/lib/engage/notifications/consent";

export const metadata: Metadata = { title: { absolute: "Unsubscribe" }, robots: { index: false, follow: false } };

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? "";

export default async function UnsubscribePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const token = one(params.token);
  const target = await findUnsubscribeTarget(await getDatabase(), token);

  let body;
  if (!target) {
    body = (
      <CardHeader>
        <h1 className="text-xl leading-tight font-semibold">This link does not work</h1>
        <CardDescription>The unsubscribe link is incomplete or no longer valid. Use the link at the bottom of the latest email you received.</CardDescription>
      </CardHeader>
    );
  } else if (!target.acceptsEmail) {
    body = (
      <CardHeader role="status">
        <h1 className="text-xl leading-tight font-semibold">You are unsubscribed</h1>
        <CardDescription>
          {target.groupName} will no longer email offers to {target.email ?? "you"}.
        </CardDescription>
      </CardHeader>
    );
  } else {
    body = (
      <>
        <CardHeader>
          <h1 className="text-xl leading-tight font-semibold">Unsubscribe from {target.groupName}&rsquo;s emails?</h1>
          <CardDescription>{target.email ?? "Your address"} will no longer receive offers by email.</CardDescription>
        </CardHeader>
        <CardContent>
          <form method="post" action={`/api/unsubscribe?token=${encodeURIComponent(token)}`}>
            <input type="hidden" name="source" value="page" />
            <Button type="submit" className="w-full">
              Unsubscribe
            </Button>
          </form>
        </CardContent>
      </>
    );
  }

  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-10">
      <Card className="w-full max-w-md">{body}</Card>
    </main>
  );
}
