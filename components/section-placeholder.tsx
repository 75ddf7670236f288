// An honest page for a section that is not built yet: its name and what it will do.
import { Construction } from "lucide-react";
import { PageHeader } from "./page-header";

export function SectionPlaceholder({ title, coming }: { title: string; coming: string }) {
  return (
    <>
      <PageHeader title={title} />
      <div className="flex items-start gap-3 rounded-lg border border-dashed p-5">
        <Construction aria-hidden className="mt-0.5 size-5 shrink-0 text-muted-foreground" />
        <p className="max-w-prose">
          This section is being built: it will let you {coming} It comes in a later update.
        </p>
      </div>
    </>
  );
}
