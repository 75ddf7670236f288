// The console's TanStack tables, drawn one way: a labelled table of the header groups and rows
// (each column's classes from one map), and the pager under it (a summary and Previous / Next).
"use client";

import { FlexRender, type HeaderGroup, type Row, type RowData, type TableFeatures } from "@tanstack/react-table";
import { ChevronLeft, ChevronRight } from "lucide-react";
import type { ReactNode } from "react";
import { Button } from "./button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "./table";

export function DataTable<TFeatures extends TableFeatures, TData extends RowData>({
  label,
  headerGroups,
  rows,
  columnClass = {},
  rowClassName,
}: {
  label: string;
  headerGroups: HeaderGroup<TFeatures, TData>[];
  rows: Row<TFeatures, TData>[];
  /** Classes of a column's head and cells, by column id. */
  columnClass?: Record<string, string>;
  rowClassName?: string;
}) {
  return (
    <Table label={label}>
      <TableHeader>
        {headerGroups.map((group) => (
          <TableRow key={group.id}>
            {group.headers.map((header) => (
              <TableHead key={header.id} className={columnClass[header.column.id]}>
                <FlexRender header={header} />
              </TableHead>
            ))}
          </TableRow>
        ))}
      </TableHeader>
      <TableBody>
        {rows.map((row) => (
          <TableRow key={row.id} className={rowClassName}>
            {row.getAllCells().map((cell) => (
              <TableCell key={cell.id} className={columnClass[cell.column.id]}>
                <FlexRender cell={cell} />
              </TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** A table's pages: what is shown, and Previous / Next (left out when there is one page). */
export function TablePager({
  label,
  summary,
  buttons = true,
  onPrevious,
  onNext,
  canPrevious,
  canNext,
}: {
  label: string;
  summary: ReactNode;
  buttons?: boolean;
  onPrevious: () => void;
  onNext: () => void;
  canPrevious: boolean;
  canNext: boolean;
}) {
  return (
    <nav aria-label={label} className="flex flex-wrap items-center justify-between gap-3">
      <p className="text-sm text-muted-foreground">{summary}</p>
      {buttons ? (
        <div className="flex gap-2">
          <Button variant="outline" size="sm" onClick={onPrevious} disabled={!canPrevious}>
            <ChevronLeft aria-hidden /> Previous
          </Button>
          <Button variant="outline" size="sm" onClick={onNext} disabled={!canNext}>
            Next <ChevronRight aria-hidden />
          </Button>
        </div>
      ) : null}
    </nav>
  );
}
