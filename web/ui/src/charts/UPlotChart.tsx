import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

// A thin React wrapper over uPlot: the chart is rebuilt when its options change and fed new data otherwise;
// it follows its container's width.

export interface UPlotChartProps {
  options: Omit<uPlot.Options, "width">;
  data: uPlot.AlignedData;
  label: string;
  onCreate?: (u: uPlot) => void;
}

export function UPlotChart({ options, data, label, onCreate }: UPlotChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const u = new uPlot({ ...options, width: Math.max(200, el.clientWidth) } as uPlot.Options, data, el);
    plot.current = u;
    onCreate?.(u);
    const resize = new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height: options.height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
    // Data updates go through setData below; only new options rebuild the chart.
  }, [options]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return <div ref={ref} className="chart" role="img" aria-label={label} />;
}
