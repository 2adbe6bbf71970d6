import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, inject, it } from "vitest";

import {
  BadUserInputError,
  ConflictError,
  ConnectionError,
  NotFoundError,
  PaliAPI,
  PaliAPIError,
  UnauthenticatedError,
  type Webhook,
  type WebhookDelivery,
  decodeMultiVector,
  graphql,
} from "../dist/index.js";

const { url, token } = inject("paliapi");
const api = new PaliAPI({ url, token });
const pdf = readFileSync(fileURLToPath(new URL("./fixtures/two-pages.pdf", import.meta.url)));
const png = readFileSync(fileURLToPath(new URL("./fixtures/chart.png", import.meta.url)));
const suffix = Date.now().toString(36);
const collection = `ts-${suffix}`;

describe("PaliAPI against a live server", () => {
  beforeAll(async () => {
    const created = await api.createCollection(collection, { team: "web" });
    expect(created.name).toBe(collection);
    expect(created.metadata).toEqual({ team: "web" });
  });

  it("uploads a Uint8Array and waits until it is READY", async () => {
    const document = await api.upload({ collection, name: "bytes.pdf", file: new Uint8Array(pdf), metadata: { year: 2024 } });
    expect(document.status).toBe("READY");
    expect(document.pageCount).toBe(2);
    expect(document.metadata).toEqual({ year: 2024 });
  });

  it("uploads a File without waiting and watches its progress over the subscription", async () => {
    const file = new File([pdf], "watched.pdf", { type: "application/pdf" });
    const queued = await api.upload({ collection, name: "watched.pdf", file, wait: false });
    expect(["PENDING", "PROCESSING", "READY"]).toContain(queued.status);
    const updates: string[] = [];
    for await (const update of api.watch(collection, "watched.pdf")) {
      updates.push(`${update.status}:${update.progress}`);
    }
    expect(updates.at(-1)).toBe("READY:1");
  });

  it("searches and returns typed results, best first", async () => {
    const results = await api.search({ query: "quarterly revenue", collectionName: collection, topK: 3, mode: "VISUAL" });
    expect(results.length).toBe(3);
    expect(results.map((r) => r.rank)).toEqual([1, 2, 3]);
    expect(results[0].score).toBeGreaterThanOrEqual(results[1].score);
    expect(results[0].collection.name).toBe(collection);
    expect(["bytes.pdf", "watched.pdf"]).toContain(results[0].document.name);
    expect(results[0].page.number).toBeGreaterThanOrEqual(1);
    const none = await api.search({ query: "x", documentFilter: { year: { $gt: 3000 } } });
    expect(none).toEqual([]);
  });

  it("iterates documents page by page and runs generated operations directly", async () => {
    const names: string[] = [];
    for await (const document of api.documents(collection, undefined, 1)) names.push(document.name);
    expect(names.sort()).toEqual(["bytes.pdf", "watched.pdf"]);
    const data = await api.request(graphql.GetCollectionDocument, { name: collection });
    expect(data.collection?.documentCount).toBe(2);
  });

  it("embeds queries and images, and decodes the float16 vectors", async () => {
    const [query] = await api.embed({ queries: ["quarterly revenue"] });
    expect(query.dtype).toBe("float16");
    const decoded = decodeMultiVector(query);
    expect(decoded.data.length).toBe(query.tokens * query.dim);
    // The model's vectors are unit length (padding rows are zero): a wrong decoding is not.
    const norms = Array.from({ length: decoded.tokens }, (_, t) =>
      Math.hypot(...decoded.data.subarray(t * decoded.dim, (t + 1) * decoded.dim)));
    expect(norms.some((n) => Math.abs(n - 1) < 0.01)).toBe(true);
    for (const n of norms) expect(Math.min(n, Math.abs(n - 1))).toBeLessThan(0.01);
    const [fromBytes, fromBlob] = await api.embed({ images: [new Uint8Array(png), new Blob([png])] });
    expect(fromBytes.tokens).toBeGreaterThan(0);
    expect(fromBytes.base64).toBe(fromBlob.base64);
    await expect(api.embed({})).rejects.toBeInstanceOf(BadUserInputError);
  });

  it("creates, lists, tests and deletes a webhook, and pages through its deliveries", async () => {
    // A receiver on loopback (the test server allows private URLs) that accepts everything.
    const received: string[] = [];
    const receiver = createServer((request, response) => {
      received.push(String(request.headers["webhook-id"]));
      request.resume().on("end", () => response.writeHead(204).end());
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    try {
      const created = await api.createWebhook(hook, ["document.ready", "document.failed"]);
      expect(created.url).toBe(hook);
      expect(created.events).toEqual(["document.ready", "document.failed"]);
      expect(created.secret).toMatch(/^whsec_/);
      const listed: Webhook[] = [];
      for await (const webhook of api.webhooks(1)) {
        listed.push(webhook);
        expect(webhook.secret).toBeNull();
      }
      expect(listed.map((w) => w.id)).toContain(created.id);

      expect(await api.testWebhook(created.id)).toBe(true);
      let deliveries: WebhookDelivery[] = [];
      for (let i = 0; i < 300 && deliveries[0]?.status !== "SUCCEEDED"; i++) {
        if (i) await new Promise((resolve) => setTimeout(resolve, 100));
        deliveries = [];
        for await (const delivery of api.webhookDeliveries(created.id, 1)) deliveries.push(delivery);
      }
      expect(deliveries.map((d) => [d.eventType, d.status, d.attempts])).toEqual([["webhook.test", "SUCCEEDED", 1]]);
      expect(received).toEqual([deliveries[0].eventId]);

      expect(await api.deleteWebhook(created.id)).toBe(true);
      await expect(api.deleteWebhook(created.id)).rejects.toBeInstanceOf(NotFoundError);
      const gone = (async () => { for await (const _ of api.webhookDeliveries(created.id)) { /* none */ } })();
      await expect(gone).rejects.toBeInstanceOf(NotFoundError);
      await expect(api.createWebhook(hook, ["document.updated"])).rejects.toBeInstanceOf(BadUserInputError);
    } finally {
      receiver.closeAllConnections();
      receiver.close();
    }
  });

  it("throws typed errors by code", async () => {
    const conflict = await api.createCollection(collection).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(ConflictError);
    expect((conflict as PaliAPIError).code).toBe("CONFLICT");
    await expect(api.search({ query: "x", topK: 0 })).rejects.toBeInstanceOf(BadUserInputError);
    await expect(api.upload({ collection: "missing", name: "a.pdf", file: new Uint8Array(pdf) })).rejects.toBeInstanceOf(NotFoundError);
    const watched = (async () => { for await (const _ of api.watch(collection, "missing.pdf")) { /* none */ } })();
    await expect(watched).rejects.toBeInstanceOf(NotFoundError);
    await expect(new PaliAPI({ url, token: "wrong" }).search({ query: "x" })).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(new PaliAPI({ url: "http://127.0.0.1:9", token }).search({ query: "x" })).rejects.toBeInstanceOf(ConnectionError);
  });
});
