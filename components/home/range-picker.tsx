// The Home page's period: last 7, 30 or 90 days, last month, or two days of one's own, kept in
// the URL (?range=&from=&to=) so a view can be shared and survives a reload.
"use client";

import { usePathname, useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import {
  customRangeProblem,
  RANGE_LABELS,
  RANGES,
  reportRangeQuery,
  type RangeName,
  type ReportRange,
} from "@/lib/console/client/reports";

export function RangePicker({ range }: { range: ReportRange }) {
  const router = useRouter();
  const pathname = usePathname();
  const [choice, setChoice] = useState<RangeName>(range.name);
  const [from, setFrom] = useState(range.current.from);
  const [to, setTo] = useState(range.current.to);
  const [problem, setProblem] = useState<string | null>(null);

  function go(name: RangeName, custom?: { from: string; to: string }) {
    router.push(`${pathname}${reportRangeQuery(name, custom)}`, { scroll: false });
  }

  function choose(name: RangeName) {
    setChoice(name);
    setProblem(null);
    if (name !== "custom") go(name);
  }

  function apply(event: FormEvent) {
    event.preventDefault();
    const why = customRangeProblem(from, to);
    setProblem(why);
    if (!why) go("custom", { from, to });
  }

  return (
    <form onSubmit={apply} className="flex flex-wrap items-end gap-3" aria-label="Report period">
      <SelectField label="Period" className="w-44" value={choice} onChange={(e) => choose(e.target.value as RangeName)}>
        {RANGES.map((r) => (
          <option key={r} value={r}>
            {RANGE_LABELS[r]}
          </option>
        ))}
      </SelectField>
      {choice === "custom" ? (
        <>
          <TextField label="First day (UTC)" type="date" className="w-44" value={from} onChange={(e) => setFrom(e.target.value)} error={problem ?? undefined} />
          <TextField label="Last day (UTC)" type="date" className="w-44" value={to} onChange={(e) => setTo(e.target.value)} />
          <Button type="submit" variant="outline">
            Show
          </Button>
        </>
      ) : null}
    </form>
  );
}
