// The trace explorer's pages, one chunk (they share the trace tree, the waterfall and uPlot).
export { SearchPage } from "./SearchPage";
export { TracePage } from "./TracePage";
export { ComparePage } from "./ComparePage";
