// A chart of the Home page from the Recharts chunk (charts.tsx), loaded and drawn once its place
// is near the screen: the figures come first, and a chart below the fold costs nothing until it
// is scrolled to. Until then a skeleton of the chart's height holds its place (nothing moves when
// it arrives). The chart is for the eye only: its figure's table gives screen readers the same
// numbers all along (chart-figure.tsx).
"use client";

import { lazy, startTransition, Suspense, useEffect, useRef, useState, type ComponentType } from "react";
import { ChartSkeleton } from "./chart-figure";

export function lazyChart<P extends object>(load: () => Promise<ComponentType<P>>, height: (props: P) => number) {
  let loading: Promise<ComponentType<P>> | null = null;
  const loadOnce = () => (loading ??= load());
  const Chart = lazy(() => loadOnce().then((component) => ({ default: component })));
  function LazyChart(props: P) {
    const place = useRef<HTMLDivElement>(null);
    const [near, setNear] = useState(false);
    useEffect(() => {
      const element = place.current;
      if (near || !element) return;
      let timer = 0;
      const observer = new IntersectionObserver(
        (entries) => {
          if (!entries.some((entry) => entry.isIntersecting)) return;
          observer.disconnect();
          // Recharts is loaded (and its modules run) first, in a task of their own; the chart is
          // drawn in a later one, in a transition, so neither holds the page up long.
          const draw = () => {
            timer = window.setTimeout(() => startTransition(() => setNear(true)), 0);
          };
          loadOnce().then(draw, () => {
            // Not loaded (offline?): the chart asks again, and says so as any page part would.
            loading = null;
            draw();
          });
        },
        { rootMargin: "100px" },
      );
      observer.observe(element);
      return () => {
        observer.disconnect();
        window.clearTimeout(timer);
      };
    }, [near]);
    const skeleton = <ChartSkeleton height={height(props)} />;
    if (!near) return <div ref={place}>{skeleton}</div>;
    return (
      <Suspense fallback={skeleton}>
        <Chart {...props} />
      </Suspense>
    );
  }
  return LazyChart;
}
