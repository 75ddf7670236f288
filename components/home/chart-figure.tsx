// A chart with its numbers as a table: the chart is for the eye (hidden from screen readers),
// the table is always there for screen readers, and "Show as table" shows it to everyone.
"use client";

import { Table2 } from "lucide-react";
import { useId, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { cn } from "@/components/ui/utils";

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  /** Numbers line up on the right. */
  numeric?: boolean;
}

export function ChartFigure<T>({
  title,
  description,
  rows,
  columns,
  rowKey,
  empty,
  children,
}: {
  title: string;
  description?: string;
  rows: T[];
  columns: Column<T>[];
  rowKey: (row: T) => string;
  /** Said instead of the chart when there is nothing to draw. */
  empty?: string | null;
  children: ReactNode;
}) {
  const id = useId();
  const [tableShown, setTableShown] = useState(false);
  return (
    <figure aria-labelledby={`${id}-title`} className="grid gap-3 rounded-xl border bg-card p-4 text-card-foreground shadow-sm sm:p-5">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="grid gap-1">
          <h3 id={`${id}-title`} className="font-semibold">
            {title}
          </h3>
          {description ? <p className="text-sm text-muted-foreground">{description}</p> : null}
        </div>
        {empty ? null : (
          <Button variant="ghost" size="sm" aria-expanded={tableShown} aria-controls={`${id}-table`} onClick={() => setTableShown((v) => !v)}>
            <Table2 aria-hidden />
            {tableShown ? "Show as chart" : "Show as table"}
          </Button>
        )}
      </div>
      {empty ? (
        <p className="rounded-lg border border-dashed px-4 py-8 text-center text-sm text-muted-foreground">{empty}</p>
      ) : (
        <>
          {tableShown ? null : (
            <div aria-hidden className="min-h-[120px]">
              {children}
            </div>
          )}
          <div
            id={`${id}-table`}
            // Shown, it scrolls: keyboard users can focus it to scroll too.
            {...(tableShown ? { role: "region", "aria-label": `${title}, as a table`, tabIndex: 0 } : {})}
            className={cn(tableShown ? "max-h-96 overflow-auto rounded-lg border focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none" : "sr-only")}
          >
            <table className="w-full text-sm">
              <caption className="sr-only">{title}</caption>
              <thead className="bg-muted/50">
                <tr className="border-b">
                  {columns.map((c) => (
                    <th key={c.header} scope="col" className={cn("h-9 px-3 font-medium whitespace-nowrap text-muted-foreground", c.numeric ? "text-right" : "text-left")}>
                      {c.header}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={rowKey(row)} className="border-b last:border-0">
                    {columns.map((c, i) =>
                      i === 0 ? (
                        <th key={c.header} scope="row" className="px-3 py-2 text-left font-normal whitespace-nowrap">
                          {c.cell(row)}
                        </th>
                      ) : (
                        <td key={c.header} className={cn("px-3 py-2 whitespace-nowrap", c.numeric && "text-right tabular-nums")}>
                          {c.cell(row)}
                        </td>
                      ),
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </figure>
  );
}

export function ChartSkeleton({ height = 220 }: { height?: number }) {
  return <Skeleton className="w-full" style={{ height }} />;
}
