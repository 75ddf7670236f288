// Inside the console: an address that does not exist, or a page the user's role does not
// include (the page answers 404 either way, so it reveals nothing about what exists).
import Link from "next/link";
import { Button } from "@/components/ui/button";

export default function ConsoleNotFound() {
  return (
    <section aria-labelledby="not-found-title" className="grid max-w-prose gap-3">
      <h1 id="not-found-title" className="text-2xl font-semibold tracking-tight">
        Page not found
      </h1>
      <p className="text-muted-foreground">
        This page does not exist, or your role does not include it. An Owner of your group can change your role in Settings → People.
      </p>
      <div>
        <Button asChild variant="outline">
          <Link href="/">Go to Home</Link>
        </Button>
      </div>
    </section>
  );
}
