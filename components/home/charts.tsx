// The Home page's charts (Recharts). Loaded in the browser only, on their own (lazy-chart.tsx), so
// the page's first load does not carry the chart library. Each is drawn for the eye only: the
// figure around it (chart-figure.tsx) gives screen readers the same numbers as a table.
"use client";

import {
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatMoney } from "@/lib/console/client/format";
import { campaignBarsHeight, COUNT_CHART_HEIGHT, REVENUE_CHART_HEIGHT } from "./chart-sizes";

const PRIMARY = "var(--primary)";
const SECOND = "var(--success)";
const AXIS = "var(--muted-foreground)";
const GRID = "var(--border)";

const shortDate = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
export const dayLabel = (date: string) => shortDate.format(new Date(`${date}T00:00:00Z`));
const compactMoney = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", notation: "compact", maximumFractionDigits: 1 });

const tooltipStyle = {
  contentStyle: { background: "var(--popover)", border: "1px solid var(--border)", borderRadius: 8, color: "var(--popover-foreground)" },
  labelStyle: { color: "var(--popover-foreground)" },
};

export function RevenueChart({ data }: { data: { Date: string; Revenue: number; Receipts: number }[] }) {
  return (
    <ResponsiveContainer width="100%" height={REVENUE_CHART_HEIGHT}>
      <ComposedChart data={data} accessibilityLayer={false} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid stroke={GRID} strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="Date" tickFormatter={dayLabel} stroke={AXIS} fontSize={12} minTickGap={16} />
        <YAxis yAxisId="revenue" tickFormatter={(v: number) => compactMoney.format(v)} stroke={AXIS} fontSize={12} width={64} />
        <YAxis yAxisId="receipts" orientation="right" allowDecimals={false} stroke={AXIS} fontSize={12} width={40} />
        <Tooltip
          {...tooltipStyle}
          labelFormatter={(d) => dayLabel(String(d))}
          formatter={(value, name) => (name === "Revenue" ? formatMoney(Number(value)) : value)}
        />
        <Legend />
        <Bar yAxisId="receipts" dataKey="Receipts" fill={SECOND} fillOpacity={0.5} radius={[3, 3, 0, 0]} isAnimationActive={false} />
        <Line yAxisId="revenue" dataKey="Revenue" stroke={PRIMARY} strokeWidth={2} dot={false} isAnimationActive={false} />
      </ComposedChart>
    </ResponsiveContainer>
  );
}

export function CountBars({
  data,
  series,
  labelOf,
}: {
  data: Record<string, number | string>[];
  series: { key: string; name: string }[];
  labelOf: (row: Record<string, number | string>) => string;
}) {
  const colors = [PRIMARY, SECOND];
  return (
    <ResponsiveContainer width="100%" height={COUNT_CHART_HEIGHT}>
      <BarChart data={data.map((row) => ({ ...row, label: labelOf(row) }))} accessibilityLayer={false} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid stroke={GRID} strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" stroke={AXIS} fontSize={12} minTickGap={12} />
        <YAxis allowDecimals={false} stroke={AXIS} fontSize={12} width={40} />
        <Tooltip {...tooltipStyle} />
        {series.length > 1 ? <Legend /> : null}
        {series.map((s, i) => (
          <Bar key={s.key} dataKey={s.key} name={s.name} fill={colors[i % colors.length]} radius={[3, 3, 0, 0]} isAnimationActive={false} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}

export function CampaignBars({ data }: { data: { label: string; RedeemedRevenue: number }[] }) {
  return (
    <ResponsiveContainer width="100%" height={campaignBarsHeight(data.length)}>
      <BarChart data={data} layout="vertical" accessibilityLayer={false} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid stroke={GRID} strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" tickFormatter={(v: number) => compactMoney.format(v)} stroke={AXIS} fontSize={12} />
        <YAxis type="category" dataKey="label" stroke={AXIS} fontSize={12} width={140} />
        <Tooltip {...tooltipStyle} formatter={(value) => formatMoney(Number(value))} />
        <Bar dataKey="RedeemedRevenue" name="Redeemed revenue" fill={PRIMARY} radius={[0, 3, 3, 0]} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}
