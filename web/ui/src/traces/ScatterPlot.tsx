import { useMemo, useRef } from "react";
import type uPlot from "uplot";
import type { TraceSummary } from "../api/types";
import { UPlotChart } from "../charts/UPlotChart";
import { cssVar } from "../app/theme";
import { formatMs } from "../charts/format";

/** Duration over time of the found traces; errors in red. Clicking a dot opens that trace. */
export function ScatterPlot({ traces, onOpen }: { traces: TraceSummary[]; onOpen: (traceId: string) => void }) {
  const sorted = useMemo(() => [...traces].sort((a, b) => Date.parse(a.startTime) - Date.parse(b.startTime)), [traces]);
  // The click handler is bound once, when the chart is built; it reads the current traces through a ref.
  const sortedRef = useRef(sorted);
  sortedRef.current = sorted;
  const data = useMemo<uPlot.AlignedData>(
    () => [
      sorted.map((t) => Date.parse(t.startTime) / 1000),
      sorted.map((t) => (t.errorCount > 0 ? null : t.durationMs)),
      sorted.map((t) => (t.errorCount > 0 ? t.durationMs : null)),
    ],
    [sorted],
  );
  const options = useMemo<Omit<uPlot.Options, "width">>(() => {
    const axis = { stroke: cssVar("--muted"), grid: { stroke: cssVar("--grid") }, ticks: { stroke: cssVar("--grid") } };
    const dots = (color: string) => ({ show: true, size: 9, stroke: color, fill: color });
    return {
      height: 180,
      legend: { show: false },
      cursor: { points: { size: 12 }, drag: { x: false, y: false } },
      scales: {
        // Traces found in one burst share a start time; keep at least a minute on the axis so they do not
        // stretch it over years.
        x: { time: true, range: (_u: uPlot, min: number, max: number) => (max - min < 60 ? [min - 30, max + 30] : [min, max]) },
        y: { distr: 3 },
      },
      axes: [axis, { ...axis, values: (_u: uPlot, vals: number[]) => vals.map((v) => formatMs(v)), size: 70 }],
      series: [
        {},
        { label: "ok", stroke: cssVar("--accent"), paths: () => null, points: dots(cssVar("--accent")) },
        { label: "error", stroke: cssVar("--bad"), paths: () => null, points: dots(cssVar("--bad")) },
      ],
    };
  }, []);
  const onCreate = (u: uPlot) => {
    u.over.addEventListener("click", () => {
      const idx = u.cursor.idx;
      if (idx !== null && idx !== undefined && sortedRef.current[idx]) onOpen(sortedRef.current[idx].traceId);
    });
    u.over.style.cursor = "pointer";
  };
  return <UPlotChart options={options} data={data} label={`Duration over time of ${traces.length} traces`} onCreate={onCreate} />;
}
