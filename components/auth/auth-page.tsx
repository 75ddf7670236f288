// The frame of the pages before sign-in (sign-in, first-run setup): the product's name and one
// centred card.
import type { ReactNode } from "react";

export function AuthPage({ title, description, children, wide = false }: { title: string; description: ReactNode; children: ReactNode; wide?: boolean }) {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 py-10">
      <div className={wide ? "w-full max-w-xl" : "w-full max-w-sm"}>
        <div className="mb-6 flex items-center gap-2 font-semibold">
          <span aria-hidden className="flex size-8 items-center justify-center rounded-md bg-primary text-primary-foreground">
            E
          </span>
          Engage Console
        </div>
        <div className="rounded-xl border bg-card p-5 text-card-foreground shadow-sm sm:p-8">
          <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
          <div className="mt-1 mb-6 text-sm text-muted-foreground">{description}</div>
          {children}
        </div>
      </div>
    </main>
  );
}
