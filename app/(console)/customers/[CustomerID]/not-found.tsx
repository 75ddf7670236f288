// An address under /customers/ that names no customer of the user's group (another group's
// customer answers the same, so nothing about it is revealed).
import Link from "next/link";
import { Button } from "@/components/ui/button";

export default function CustomerNotFound() {
  return (
    <section aria-labelledby="not-found-title" className="grid max-w-prose gap-3">
      <h1 id="not-found-title" className="text-2xl font-semibold tracking-tight">
        Customer not found
      </h1>
      <p className="text-muted-foreground">There is no such customer in your group. Search for them by name, phone or email instead.</p>
      <div>
        <Button asChild variant="outline">
          <Link href="/customers">Go to Customers</Link>
        </Button>
      </div>
    </section>
  );
}
