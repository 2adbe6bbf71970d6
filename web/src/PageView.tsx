import { useEffect, useRef, useState } from "react";

import { drawHeatmap } from "./heatmap";
import { SearchMapsDocument, type SimilarityMap } from "./operations";
import type { Opened } from "./SearchPanel";
import { apiLink, type Session } from "./session";

/** A result's page at full width, with its similarity map drawn over it. */
export function PageView({ session, opened, onClose }: { session: Session; opened: Opened; onClose: () => void }) {
  const [image, setImage] = useState<string | null>(null);
  const [map, setMap] = useState<SimilarityMap | null>(null);
  const [token, setToken] = useState(-1);
  const [loaded, setLoaded] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const imageRef = useRef<HTMLImageElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const { hit, input } = opened;

  useEffect(() => {
    closeRef.current?.focus();
    setLoaded(false);
    setMap(null);
    setNote(null);
    session.client
      .request(SearchMapsDocument, { input })
      .then((data) => {
        const found = data.search.results.find((result) => result.page.id === hit.page.id);
        setImage(found ? apiLink(session, found.page.image) : null);
        setMap(found?.similarityMap ?? null);
        if (!found?.similarityMap) setNote("No similarity map for this result (only VISUAL text searches have one).");
      })
      .catch((caught) => setNote(String(caught)));
  }, [session, hit, input]);

  useEffect(() => {
    const canvas = canvasRef.current;
    const img = imageRef.current;
    if (!canvas || !img || !map || !loaded) return;
    const draw = () => {
      canvas.width = img.clientWidth;
      canvas.height = img.clientHeight;
      drawHeatmap(canvas, map, token);
    };
    draw();
    window.addEventListener("resize", draw); // a rotated phone: redraw at the new size
    return () => window.removeEventListener("resize", draw);
  }, [map, token, loaded]);

  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="page-title" onKeyDown={(e) => e.key === "Escape" && onClose()}>
      <div className="dialog">
        <header className="dialog-bar">
          <h2 id="page-title">
            {hit.document.name} · page {hit.page.number}
          </h2>
          <button ref={closeRef} type="button" onClick={onClose}>
            Close
          </button>
        </header>
        <p className="muted">
          {hit.collection.name} · score {hit.score.toFixed(3)}
        </p>
        {map && (
          <div>
            <label htmlFor="heatmap-token">Query token</label>
            <select id="heatmap-token" value={token} onChange={(e) => setToken(Number(e.target.value))}>
              <option value={-1}>All tokens (best per patch)</option>
              {map.tokens.map((text, index) => (
                <option key={index} value={index}>
                  {index + 1}: {JSON.stringify(text)}
                </option>
              ))}
            </select>
          </div>
        )}
        {note && <p className="muted">{note}</p>}
        {image && (
          <div className="page-figure">
            <img ref={imageRef} src={image} alt={`Page ${hit.page.number} of ${hit.document.name}`} onLoad={() => setLoaded(true)} />
            <canvas ref={canvasRef} className="heatmap" aria-label="Similarity heatmap" role="img" />
          </div>
        )}
      </div>
    </div>
  );
}
