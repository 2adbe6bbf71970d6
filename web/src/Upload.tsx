import { useState, type DragEvent } from "react";

import type { Session } from "./session";

interface Progress {
  name: string;
  status: string;
  progress: number;
  error?: string | null;
}

const ACCEPT = "application/pdf,image/png,image/jpeg,image/webp,image/tiff,image/gif,image/bmp";

/** Drop (or pick) several files; each uploads, then follows the documentStatus subscription. */
export function Upload({ session, collection, onChanged }: { session: Session; collection: string; onChanged: () => void }) {
  const [items, setItems] = useState<Record<string, Progress>>({});
  const [dragging, setDragging] = useState(false);

  function update(name: string, change: Partial<Progress>) {
    setItems((current) => ({ ...current, [name]: { ...current[name], name, ...change } as Progress }));
  }

  async function send(file: File) {
    update(file.name, { status: "UPLOADING", progress: 0, error: null });
    try {
      await session.client.upload({ collection, name: file.name, file, wait: false, overwrite: true });
      onChanged();
      for await (const document of session.client.watch(collection, file.name)) {
        update(file.name, { status: document.status, progress: document.progress, error: document.error });
      }
    } catch (caught) {
      update(file.name, { status: "FAILED", error: caught instanceof Error ? caught.message : String(caught) });
    }
    onChanged();
  }

  function accept(files: FileList | null) {
    for (const file of Array.from(files ?? [])) void send(file);
  }

  function drop(event: DragEvent) {
    event.preventDefault();
    setDragging(false);
    accept(event.dataTransfer.files);
  }

  return (
    <div>
      <label
        htmlFor="upload-input"
        className={dragging ? "dropzone dragging" : "dropzone"}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={drop}
      >
        Drop PDFs or images here, or choose files
        <input
          id="upload-input"
          type="file"
          multiple
          accept={ACCEPT}
          onChange={(event) => {
            accept(event.target.files);
            event.target.value = "";
          }}
        />
      </label>
      <ul className="uploads" aria-label="Uploads" aria-live="polite">
        {Object.values(items).map((item) => (
          <li key={item.name}>
            <span>{item.name}</span>
            <progress max={1} value={item.progress} aria-label={`${item.name} progress`} />
            <span className="status" data-status={item.status}>
              {item.status} {Math.round(item.progress * 100)}%
            </span>
            {item.error && <span className="error">{item.error}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}
