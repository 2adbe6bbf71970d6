import type { SimilarityMap } from "./operations";

/** One value per patch for the chosen token, or each patch's best over all tokens (-1). */
export function patchValues(map: SimilarityMap, token: number): number[] {
  if (token >= 0) return map.values[token];
  const cells = map.rows * map.columns;
  const best = new Array<number>(cells).fill(-Infinity);
  for (const row of map.values) for (let i = 0; i < cells; i++) best[i] = Math.max(best[i], row[i]);
  return best;
}

/** Draw the map over a canvas the size of the shown image: warm where the patch matched. */
export function drawHeatmap(canvas: HTMLCanvasElement, map: SimilarityMap, token: number): void {
  const context = canvas.getContext("2d");
  if (!context) return;
  context.clearRect(0, 0, canvas.width, canvas.height);
  const values = patchValues(map, token);
  const low = Math.min(...values);
  const span = Math.max(...values) - low || 1;
  const cellWidth = canvas.width / map.columns;
  const cellHeight = canvas.height / map.rows;
  for (let r = 0; r < map.rows; r++) {
    for (let c = 0; c < map.columns; c++) {
      const level = (values[r * map.columns + c] - low) / span; // 0..1
      context.fillStyle = `rgba(255, ${Math.round(200 * (1 - level))}, 0, ${(0.55 * level).toFixed(3)})`;
      context.fillRect(c * cellWidth, r * cellHeight, Math.ceil(cellWidth), Math.ceil(cellHeight));
    }
  }
  canvas.dataset.drawn = "true";
}
