// The web app's whole flow in headless Chromium, driven by playwright-core.
//
//   APP_URL=... API_URL=... TOKEN=... PDF=... ARTIFACTS=... LABEL=... node e2e/flow.mjs
//
// Sign in, create a collection, upload a PDF through the file input and watch it reach READY,
// search, check the thumbnails load, open a result and check the heatmap is drawn, then open
// GraphiQL from the app's link and run `{ me { name } }`. Screenshots go to ARTIFACTS. Every
// request must stay on the app's and the API's origins: no CDN.
import { mkdirSync } from "node:fs";
import { join } from "node:path";

import { chromium } from "playwright-core";

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`set ${name}`);
  return value;
};
const APP_URL = env("APP_URL");
const API_URL = env("API_URL");
const TOKEN = env("TOKEN");
const PDF = env("PDF");
const LABEL = env("LABEL", "flow");
const ARTIFACTS = env("ARTIFACTS", "test-artifacts/browser");
const COLLECTION = env("COLLECTION", `browser-${LABEL}`);
const WIDTH = Number(env("VIEWPORT_WIDTH", "1280"));
const TIMEOUT = Number(env("STEP_TIMEOUT_MS", "90000"));

mkdirSync(ARTIFACTS, { recursive: true });
const started = Date.now();
const log = (step, extra = {}) =>
  console.log(JSON.stringify({ label: LABEL, step, seconds: (Date.now() - started) / 1000, ...extra }));
const shot = (page, name) => page.screenshot({ path: join(ARTIFACTS, `${LABEL}-${name}.png`), fullPage: true });

const allowedOrigins = new Set([new URL(APP_URL).origin, new URL(API_URL).origin]);
const foreign = [];
const consoleErrors = [];

const browser = await chromium.launch({
  executablePath: env("CHROMIUM", "/usr/bin/chromium"),
  headless: true,
  args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
});
const context = await browser.newContext({ viewport: { width: WIDTH, height: 900 } });
context.setDefaultTimeout(TIMEOUT);
context.on("request", (request) => {
  const url = new URL(request.url());
  if (/^(https?|wss?):$/.test(url.protocol)) {
    const origin = `${url.protocol.replace("ws", "http")}//${url.host}`;
    if (!allowedOrigins.has(origin)) foreign.push(request.url());
  }
});
const page = await context.newPage();
page.on("console", (message) => message.type() === "error" && consoleErrors.push(message.text()));

try {
  await page.goto(APP_URL);
  await page.getByLabel("API URL").fill(API_URL);
  await page.getByLabel("API token").fill(TOKEN);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Collections" }).waitFor();
  log("signed in");

  await page.getByLabel("New collection name").fill(COLLECTION);
  await page.getByLabel("Metadata (JSON)").fill('{"source": "browser test"}');
  await page.getByRole("button", { name: "Create collection" }).click();
  await page.getByRole("button", { name: COLLECTION, exact: true }).waitFor();
  log("collection created");

  await page.setInputFiles("#upload-input", PDF);
  const seen = new Set();
  const status = page.locator(".uploads .status").first();
  for (;;) {
    const text = (await status.textContent({ timeout: TIMEOUT })) ?? "";
    seen.add(text.split(" ")[0]);
    if (text.startsWith("READY")) break;
    if (text.startsWith("FAILED")) throw new Error(`upload failed: ${await page.locator(".uploads").textContent()}`);
    await page.waitForTimeout(100);
  }
  log("upload READY", { statuses: [...seen] });

  await page.getByLabel("Query", { exact: true }).fill("revenue growth in quarter 2");
  await page.getByLabel("Mode").selectOption("VISUAL");
  await page.getByLabel("Collection", { exact: true }).selectOption(COLLECTION);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  const thumbnails = page.locator(".results img");
  await thumbnails.first().waitFor();
  await page.waitForFunction(
    () => {
      const images = [...document.querySelectorAll(".results img")];
      return images.length > 0 && images.every((img) => img.complete && img.naturalWidth > 0);
    },
    null,
    { timeout: TIMEOUT },
  );
  const widths = await thumbnails.evaluateAll((images) => images.map((img) => img.naturalWidth));
  const sources = await thumbnails.evaluateAll((images) => images.map((img) => img.currentSrc));
  if (!sources.every((src) => src.includes("w=320") && src.includes("sig="))) throw new Error(`unsigned thumbnails: ${sources}`);
  await shot(page, "results");
  log("thumbnails loaded", { count: widths.length, naturalWidths: widths });

  await page.locator(".results button.result").first().click();
  await page.locator("canvas.heatmap[data-drawn='true']").waitFor();
  const painted = await page.locator("canvas.heatmap").evaluate((canvas) => {
    const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
    let count = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) count++;
    return { width: canvas.width, height: canvas.height, paintedPixels: count };
  });
  if (!painted.paintedPixels) throw new Error("the heatmap canvas is blank");
  const tokens = await page.locator("#heatmap-token option").count();
  await page.locator(".dialog").screenshot({ path: join(ARTIFACTS, `${LABEL}-page-heatmap.png`) });
  log("heatmap drawn", { ...painted, tokenChoices: tokens });
  await page.getByRole("button", { name: "Close" }).click();

  const [graphiql] = await Promise.all([
    context.waitForEvent("page"),
    page.getByRole("link", { name: "GraphiQL" }).click(),
  ]);
  graphiql.on("console", (message) => message.type() === "error" && consoleErrors.push(message.text()));
  await graphiql.locator(".graphiql-container").waitFor();
  await graphiql.locator(".graphiql-execute-button").waitFor();
  await graphiql.waitForFunction(() => document.querySelector(".graphiql-query-editor .CodeMirror") !== null);
  await graphiql.locator(".graphiql-execute-button").click();
  await graphiql.waitForFunction(() => {
    const result = document.querySelector(".result-window .CodeMirror");
    return result && /"name":/.test(result.textContent ?? "");
  });
  const result = await graphiql.locator(".result-window .CodeMirror").textContent();
  await shot(graphiql, "graphiql");
  log("graphiql ran { me { name } }", { result: result?.replace(/\s+/g, " ").slice(0, 120) });

  if (foreign.length) throw new Error(`requests left the app's origins: ${foreign.join(", ")}`);
  log("done", { consoleErrors });
} catch (error) {
  await shot(page, "failure").catch(() => {});
  console.error(`${LABEL}: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
