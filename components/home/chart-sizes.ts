// The Home charts' heights, shared by the charts (charts.tsx, in the Recharts chunk) and the
// skeletons that hold their places until they are drawn (lazy-chart.tsx), so nothing moves.
export const REVENUE_CHART_HEIGHT = 260;
export const COUNT_CHART_HEIGHT = 220;

/** One bar of 40 px per campaign, and room for the axis. */
export function campaignBarsHeight(campaigns: number): number {
  return Math.max(120, campaigns * 40 + 40);
}
